"""The IATI pages: the publication page (the files the user may download, and what is kept out
of publication), the activity file itself, and keeping a record out or publishing it again."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import generic

from budgets.models import BudgetLine, Expenditure, Installment, LegalInstrument
from cap_portal.access import NO_PARTY, SECRETARIAT_ROLES, Action, holds_role
from cap_portal.responses import attachment
from cap_portal.views import ObjectDeleteView, add_validation_error
from cases.models import CapCase
from workplans.models import Indicator, IndicatorValue

from . import services
from .forms import KIND_LABELS, ExclusionForm, ScopeForm
from .models import EXCLUDABLE, PublicationExclusion
from .selectors import donors_shared_with, publication_scope
from .xml import activities_document

XML = "application/xml"


def _named_targets():
    """Per kind of record, the queryset that reads what its name (``__str__``) shows."""
    return {
        "capcase": CapCase.objects.select_related("party"),
        "legalinstrument": LegalInstrument.objects.all(),
        "installment": Installment.objects.select_related("instrument"),
        "budgetline": BudgetLine.objects.all(),
        "expenditure": Expenditure.objects.all(),
        "indicator": Indicator.objects.all(),
        "indicatorvalue": IndicatorValue.objects.select_related("indicator"),
    }


def scope_from_query(user, query):
    """The scope of ``?donor=&case=&as_of=`` for ``user``; a ``ValidationError`` names a bad field."""
    form = ScopeForm(query)
    if not form.is_valid():
        raise DjangoValidationError({field: errors[0] for field, errors in form.errors.items()})
    data = form.cleaned_data
    return publication_scope(user=user, donor_id=data["donor"], cap_case_id=data["case"], as_of=data["as_of"])


def activities_response(user, query) -> HttpResponse:
    """The IATI file of the scope asked for, as a download (``application/xml``)."""
    scope = scope_from_query(user, query)
    content = activities_document(scope, user=user)
    return attachment(content, f"iati-activities-{scope.slug}-{scope.as_of.isoformat()}.xml", XML)


class ActivitiesView(LoginRequiredMixin, generic.View):
    """``/iati/activities.xml?donor=&case=&as_of=``: the IATI 2.03 activity file (docs/iati.md)."""

    def get(self, request):
        try:
            return activities_response(request.user, request.GET)
        except DjangoValidationError as error:
            text = "; ".join(f"{field}: {message}" for field, message in error.message_dict.items())
            return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


class PublicationView(LoginRequiredMixin, generic.TemplateView):
    """The files the user may download (the portfolio, a donor's share, a CAP case) and, for the
    Secretariat, what is kept out of publication."""

    template_name = "iati/publication.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        secretariat = holds_role(user, SECRETARIAT_ROLES, NO_PARTY)
        donors = donors_shared_with(user)
        # The Secretariat's every CAP case, a focal point's own Party's (a donor observer's share
        # of a case is one of its donor's files).
        cases = CapCase.objects.restrict(user).select_related("party").order_by("party__name", "pk")
        context.update(
            {
                "portfolio": secretariat,
                "donors": list(donors),
                "cases": list(cases),
                "exclusions": self.exclusions(user),
                "can_exclude": PublicationExclusion.access_policy.allows(user, Action.ADD),
                "exclusion_form": ExclusionForm(),
            }
        )
        return context

    def exclusions(self, user):
        if not PublicationExclusion.access_policy.allows(user, Action.VIEW):
            return None
        rows = list(PublicationExclusion.objects.restrict(user).select_related("content_type", "excluded_by"))
        kinds = {value: key for key, value in EXCLUDABLE.items()}
        ids: dict[str, set] = {}
        for row in rows:
            row.kind = kinds.get((row.content_type.app_label, row.content_type.model))
            ids.setdefault(row.kind, set()).add(row.object_id)
        # The records themselves, one query per kind listed (never one per row).
        targets = {
            kind: queryset.in_bulk(ids[kind]) for kind, queryset in _named_targets().items() if kind in ids
        }
        return [
            (row, KIND_LABELS.get(row.kind, ""), targets.get(row.kind, {}).get(row.object_id)) for row in rows
        ]


class ExclusionAddView(LoginRequiredMixin, generic.FormView):
    """Keep a record out of publication (case managers)."""

    form_class = ExclusionForm
    template_name = "iati/exclusion_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not PublicationExclusion.access_policy.allows(
            request.user, Action.ADD
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {key: self.request.GET.get(key) for key in ("kind", "object_id") if self.request.GET.get(key)}

    def form_valid(self, form):
        try:
            services.publication_exclude(user=self.request.user, **form.cleaned_data)
        except DjangoValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The record is kept out of the IATI file."))
        return HttpResponseRedirect(reverse("iati:publication"))


class ExclusionDeleteView(ObjectDeleteView):
    """Publish a record again (case managers)."""

    model = PublicationExclusion

    def form_valid(self, form):
        services.publication_include(user=self.request.user, exclusion=self.object)
        messages.success(self.request, _("The record is published again."))
        return HttpResponseRedirect(reverse("iati:publication"))

    def get_success_url(self):
        return reverse("iati:publication")
