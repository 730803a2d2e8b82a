"""The decisions register (list, add, edit, delete) and a report's draft decisions (the annex),
edited from the report's page. Access comes from the policy through the base views."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cap_portal.access import Action
from cap_portal.views import (
    ChildEditView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    message_validation_error,
)
from reports.models import Report

from . import services
from .choices import DIRECTED_TO_HEADINGS, DecisionStatus
from .filtersets import DecisionFilterSet
from .forms import DecisionForm, DraftDecisionForm
from .models import Decision
from .selectors import report_draft_decisions


def report_drafts_url(report_id: int) -> str:
    return reverse("decisions:report_drafts", kwargs={"parent": report_id})


class DecisionListView(ObjectListView):
    queryset = Decision.objects.select_related("meeting", "report")
    filterset_class = DecisionFilterSet
    template_name = "decisions/decision_list.html"
    export_fields = ("number", "meeting", "directed_to", "text", "items", "status", "agenda_item")


class DecisionServicesMixin:
    """Writes through the register's services (a draft renumbers its report's annex)."""

    def create(self, data):
        return services.decision_create(user=self.request.user, data=data)

    def update(self, data):
        return services.decision_update(decision=self.object, user=self.request.user, data=data)


class DecisionEditView(DecisionServicesMixin, ObjectEditView):
    """Add or edit an adopted decision (a draft is edited under its report)."""

    queryset = Decision.objects.adopted().select_related("meeting")
    form_class = DecisionForm

    def get_cancel_url(self):
        return reverse("decisions:decision_list") if self.is_create else self.object.get_absolute_url()


class DraftDecisionEditView(DecisionServicesMixin, ChildEditView):
    """Add a draft decision to the report named in the address, or edit one by its id."""

    queryset = Decision.objects.drafts().select_related("report")
    form_class = DraftDecisionForm
    parent_model = Report
    parent_field = "report"
    return_to_parent = True

    def get_initial_object_values(self):
        values = super().get_initial_object_values()
        if self.is_create:
            values["status"] = DecisionStatus.DRAFT
        return values

    def get_parent_url(self, parent):
        return report_drafts_url(parent.pk)


class DecisionDeleteView(ObjectDeleteView):
    queryset = Decision.objects.select_related("report")

    def form_valid(self, form):
        target, success_url = str(self.object), self.get_success_url()
        try:
            services.decision_delete(decision=self.object, user=self.request.user)
        except DjangoValidationError as error:
            message_validation_error(self.request, error)
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("%(object)s was deleted.") % {"object": target})
        return HttpResponseRedirect(success_url)

    def get_success_url(self):
        if self.object.is_draft and self.object.report_id:
            return report_drafts_url(self.object.report_id)
        return reverse("decisions:decision_list")


class ReportDraftDecisionsView(ObjectDetailView):
    """A report's draft decisions as its annex shows them, grouped by "Directed to", with add,
    edit and delete for case managers while the report is a draft."""

    queryset = Report.objects.all()
    pk_url_kwarg = "parent"
    template_name = "decisions/report_drafts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        drafts = report_draft_decisions(report)
        context["groups"] = [
            (DIRECTED_TO_HEADINGS.get(key, key), list(rows))
            for key, rows in groupby(drafts, lambda d: d.directed_to)
        ]
        context["can_write"] = not report.is_final and Decision.access_policy.permits(
            user, Action.ADD, Decision(report=report, status=DecisionStatus.DRAFT)
        )
        return context
