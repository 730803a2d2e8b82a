"""Donor statement pages: the statements of a legal instrument (the request form, the versions),
one statement (its progress while the worker renders it, then its files), the list of every
statement the user may see, and the donor observer's home page. Access comes from the models'
policies through the base views: 404 outside what the user may see, 403 for a role that may
never take the action."""

from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views import View

from budgets.models import LegalInstrument
from cap_portal.access import Action, sees_donor_home
from cap_portal.responses import PDF, XLSX, stored_file
from cap_portal.views import ObjectDetailView, ObjectListView, RestrictedViewMixin, message_validation_error

from . import selectors, services
from .filtersets import DonorStatementFilterSet
from .forms import StatementRequestForm
from .models import DonorStatement


class InstrumentStatementsView(ObjectDetailView):
    """A legal instrument's statements: the form to produce one (case managers), the latest
    statement's progress, and every version, newest first."""

    model = LegalInstrument
    template_name = "statements/instrument_statements.html"

    def get_queryset(self):
        return super().get_queryset().select_related("cap_case__party").prefetch_related("funding_sources")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instrument, user = self.object, self.request.user
        start, end = selectors.default_period(instrument)
        statements = list(selectors.instrument_statements(user, instrument))
        can_add = DonorStatement.access_policy.permits(
            user, Action.ADD, DonorStatement(instrument=instrument)
        )
        context.update(
            {
                "statements": statements,
                "latest": statements[0] if statements else None,
                "can_add": can_add,
                "form": kwargs.get("form")
                or StatementRequestForm(
                    initial={
                        "period_start": start,
                        "period_end": end,
                        "language": translation.get_language()[:2],
                    }
                ),
            }
        )
        return context


class StatementRequestView(RestrictedViewMixin, View):
    """POST the form: queue a statement of the instrument, then follow it on its own page."""

    model = DonorStatement
    access_action = Action.ADD
    http_method_names = ["post"]

    def post(self, request, pk):
        instrument = get_object_or_404(LegalInstrument.objects.restrict(request.user, Action.VIEW), pk=pk)
        form = StatementRequestForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form, instrument)
        try:
            statement = services.statement_request(
                instrument=instrument, user=request.user, **form.cleaned_data
            )
        except DjangoValidationError as error:
            message_validation_error(request, error)
            return HttpResponseRedirect(_statements_url(instrument))
        statement.refresh_from_db()  # where tasks run in-process (the tests) it has run already
        messages.info(request, statement.message)
        return HttpResponseRedirect(statement.get_absolute_url())


def _statements_url(instrument) -> str:
    return reverse("statements:instrument_statements", kwargs={"pk": instrument.pk})


def _form_errors(request, form, instrument):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return HttpResponseRedirect(_statements_url(instrument))


class StatementListView(ObjectListView):
    """Every statement the user may see (a donor observer: of what its donor funds)."""

    model = DonorStatement
    filterset_class = DonorStatementFilterSet
    template_name = "statements/statement_list.html"


class StatementDetailView(ObjectDetailView):
    """One statement: its progress while it renders (the page's script polls the API), then its
    figures, checksums and files."""

    queryset = DonorStatement.objects.select_related("instrument__cap_case__party", "requested_by")
    template_name = "statements/statement_detail.html"


class StatementFileView(ObjectDetailView):
    """Download a statement's PDF or XLSX: files are never served from storage directly."""

    queryset = DonorStatement.objects.select_related("instrument")
    kind = "pdf"

    def get(self, request, *args, **kwargs):
        return statement_file_response(self.get_object(), self.kind)


CONTENT_TYPES = {"pdf": PDF, "xlsx": XLSX}


def statement_file_response(statement: DonorStatement, kind: str):
    """The statement's file as an attachment named after the instrument and version (404 while
    it has none)."""
    return stored_file(getattr(statement, kind), f"{statement.file_stem}.{kind}", CONTENT_TYPES[kind])


def home(request, *args, **kwargs):
    """The home page: a donor observer's shows what its donor funds (issue 14.13); everyone
    else's is the portfolio app's (the dashboard, or "my Party")."""
    from portfolio.views import HomeView

    if sees_donor_home(request.user):
        return render(request, "statements/donor_home.html", {"home": selectors.donor_home(request.user)})
    return HomeView.as_view()(request, *args, **kwargs)
