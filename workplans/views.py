"""Workplan pages. Lists, pages and forms restrict their querysets like every base view (404 for
another Party's records, 403 for a role that may never act); workflow steps and reviews go
through the services, which check the roles named in the workflow table."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from cap_portal.access import Action, holds_role
from cap_portal.responses import XLSX, attachment
from cap_portal.views import (
    ChildEditView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    TransitionView,
    message_validation_error,
    safe_next,
)
from cap_portal.workflow import available_transitions

from . import selectors, services
from .api.views import deliverable_file_response
from .choices import AreaOfConcern, WorkplanStatus
from .filtersets import WorkplanFilterSet
from .forms import (
    ActivityForm,
    CorrectiveActionForm,
    DeliverableForm,
    EventForm,
    ImportForm,
    IndicatorForm,
    IndicatorValueForm,
    MilestoneForm,
    ProgressUpdateForm,
    ReviewForm,
    TransitionForm,
    WorkplanForm,
)
from .models import (
    Activity,
    CorrectiveAction,
    Deliverable,
    Event,
    Indicator,
    IndicatorValue,
    Milestone,
    ProgressUpdate,
    Workplan,
)
from .spreadsheets import workplan_workbook
from .workflow import PROGRESS_REVIEW


def _restricted(model, user, action=Action.VIEW):
    """The objects ``user`` may take ``action`` on; 403 when the role may never take it at all
    (the same model-level rule the base views apply)."""
    if not model.access_policy.allows(user, action):
        raise PermissionDenied
    return model.objects.restrict(user, action)


class WorkplanListView(ObjectListView):
    queryset = Workplan.objects.all()
    filterset_class = WorkplanFilterSet
    template_name = "workplans/workplan_list.html"
    export_fields = ("cap_case.party.name", "version", "title", "status", "starts_on", "ends_on")


class WorkplanDetailView(ObjectDetailView):
    """The plan grouped by area of concern, with its timeline, coverage, milestones, indicators,
    the implementation record and the workflow steps; focal points report progress inline."""

    queryset = Workplan.objects.select_related("cap_case__party", "revises")
    template_name = "workplans/workplan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, workplan = self.request.user, self.object
        today = timezone.localdate()
        # Progress updates, events and deliverables are shown to those who may read them (not to
        # donor observers, who read the plan and the accepted progress on each activity).
        updates = ProgressUpdate.objects.restrict(user).select_related("submitted_by")
        activities = list(
            workplan.activities.prefetch_related(
                Prefetch("progress_updates", queryset=updates), "recommendations"
            ).order_by("area", "planned_start", "code")
        )
        milestones = list(workplan.milestones.select_related("activity"))
        for milestone in milestones:
            milestone.overdue = milestone.is_overdue_on(today)
        groups = []
        for value, label in AreaOfConcern.choices:
            rows = [a for a in activities if a.area == value]
            if rows:
                groups.append({"area": label, "activities": rows})
        for activity in activities:
            activity.can_report = (
                workplan.status == WorkplanStatus.APPROVED and services.may_report_progress(user, activity)[0]
            )
            if activity.can_report:
                activity.progress_form = ProgressUpdateForm(
                    auto_id=f"id_%s_{activity.pk}",
                    initial=ProgressUpdateForm.initial_for(activity, activity.progress_updates.all(), today),
                )
        policy = Workplan.access_policy
        context.update(
            {
                "groups": groups,
                "milestones": milestones,
                "indicators": workplan.indicators.prefetch_related("values").select_related("activity"),
                "corrective_actions": workplan.corrective_actions.select_related("activity"),
                "show_records": Event.access_policy.allows(user, Action.VIEW),
                "events": Event.objects.restrict(user)
                .filter(cap_case=workplan.cap_case)
                .select_related("activity"),
                "deliverables": Deliverable.objects.restrict(user)
                .filter(cap_case=workplan.cap_case)
                .select_related("activity"),
                "steps": workplan.steps.select_related("actor"),
                "versions": Workplan.objects.filter(cap_case=workplan.cap_case).order_by("-version"),
                "timeline": selectors.workplan_timeline(
                    workplan, [a for group in groups for a in group["activities"]], milestones, today
                )
                if activities
                else None,
                "coverage": selectors.workplan_coverage(workplan),
                "actions": available_transitions(user, workplan),
                "transition_form": TransitionForm(),
                "review_form": ReviewForm(),
                "can_edit_plan": workplan.is_editable and policy.permits(user, Action.CHANGE, workplan),
                "can_record": workplan.status == WorkplanStatus.APPROVED
                and policy.permits(user, Action.CHANGE, workplan),
                "can_add_records": policy.permits(user, Action.CHANGE, workplan),
                "can_delete": workplan.deletion_error() is None
                and policy.permits(user, Action.DELETE, workplan),
                "may_review": holds_role(user, ReviewView.roles, workplan.cap_case.party_id),
            }
        )
        return context


class WorkplanEditView(ObjectEditView):
    queryset = Workplan.objects.select_related("cap_case__party")
    form_class = WorkplanForm

    def get_initial(self):
        initial = super().get_initial()
        if self.is_create and self.request.GET.get("cap_case"):
            initial["cap_case"] = self.request.GET["cap_case"]
        return initial

    def get_cancel_url(self):
        return reverse("workplans:workplan_list") if self.is_create else self.object.get_absolute_url()


class WorkplanDeleteView(ObjectDeleteView):
    queryset = Workplan.objects.select_related("cap_case__party")

    def get_success_url(self):
        return reverse("workplans:workplan_list")

    def form_valid(self, form):
        target, success_url = str(self.object), self.get_success_url()
        try:
            services.plan_object_delete(instance=self.object, user=self.request.user)
        except DjangoValidationError as error:
            message_validation_error(self.request, error)
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("%(object)s was deleted.") % {"object": target})
        return HttpResponseRedirect(success_url)


class WorkplanTransitionView(TransitionView):
    """POST a workflow step (submit, approve, return, revise) with its comment or reason: the
    generic transition view, on workplans (the URL names the step)."""

    queryset = Workplan.objects.select_related("cap_case__party")
    form_class = TransitionForm


class WorkplanCompareView(ObjectDetailView):
    """Two versions side by side: what was added, removed or changed."""

    queryset = Workplan.objects.select_related("cap_case__party")
    template_name = "workplans/workplan_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workplan = self.object
        versions = _restricted(Workplan, self.request.user).filter(cap_case_id=workplan.cap_case_id)
        other_id = self.request.GET.get("other") or workplan.revises_id
        context["versions"] = versions.exclude(pk=workplan.pk).order_by("-version")
        if other_id:
            other = get_object_or_404(versions, pk=other_id)
            old, new = sorted([other, workplan], key=lambda w: w.version)
            context["diff"] = selectors.workplan_compare(old, new)
        return context


class WorkplanExportView(ObjectDetailView):
    queryset = Workplan.objects.select_related("cap_case__party")

    def get(self, request, *args, **kwargs):
        workplan = self.get_object()
        filename = f"workplan-{workplan.cap_case.party.code}-v{workplan.version}.xlsx"
        return attachment(workplan_workbook(workplan), filename, XLSX)


class WorkplanTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        if not Workplan.access_policy.allows(request.user, Action.VIEW):
            raise PermissionDenied
        return attachment(workplan_workbook(None), "workplan-template.xlsx", XLSX)


class WorkplanImportView(ObjectDetailView):
    """Upload a filled workbook into a draft: all or nothing, with a report of every bad row and cell."""

    queryset = Workplan.objects.select_related("cap_case__party")
    access_action = Action.CHANGE
    template_name = "workplans/workplan_import.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = ImportForm(request.POST, request.FILES)
        errors = []
        if form.is_valid():
            try:
                services.workplan_import(
                    workplan=self.object, user=request.user, file=form.cleaned_data["file"]
                )
            except DjangoValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("The workbook was imported."))
                return HttpResponseRedirect(self.object.get_absolute_url())
        context = self.get_context_data(object=self.object, form=form, errors=errors)
        return self.render_to_response(context, status=400 if errors else 200)


# --- Parts of a workplan and records of a case ---------------------------------------------------


class ServiceEditView(ChildEditView):
    """A part of a workplan, added under the workplan the address names; saving and cancelling
    return to the parent's page. Writes may go through a domain service (``create`` / ``update``)."""

    parent_model = Workplan
    parent_field = "workplan"
    parent_related = ("cap_case__party",)
    return_to_parent = True


class ActivityEditView(ServiceEditView):
    queryset = Activity.objects.select_related("workplan__cap_case__party")
    form_class = ActivityForm


class MilestoneEditView(ServiceEditView):
    queryset = Milestone.objects.select_related("workplan__cap_case__party")
    form_class = MilestoneForm


class IndicatorEditView(ServiceEditView):
    queryset = Indicator.objects.select_related("workplan__cap_case__party")
    form_class = IndicatorForm


class CorrectiveActionEditView(ServiceEditView):
    queryset = CorrectiveAction.objects.select_related("workplan__cap_case__party")
    form_class = CorrectiveActionForm


class IndicatorValueEditView(ServiceEditView):
    queryset = IndicatorValue.objects.select_related("indicator__workplan__cap_case__party")
    form_class = IndicatorValueForm
    parent_model = Indicator
    parent_field = "indicator"
    parent_related = ("workplan",)


class ProgressUpdateEditView(ServiceEditView):
    """A focal point reports (or corrects) progress on an activity."""

    queryset = ProgressUpdate.objects.select_related("activity__workplan__cap_case__party")
    form_class = ProgressUpdateForm
    parent_model = Activity
    parent_field = "activity"
    parent_related = ("workplan__cap_case__party",)
    template_name = "workplans/progressupdate_form.html"

    def get_initial(self):
        if not self.is_create:
            return super().get_initial()
        activity = self.get_parent()
        return ProgressUpdateForm.initial_for(activity, activity.progress_updates.all(), timezone.localdate())

    def get_context_data(self, **kwargs):
        # The activity and the periods already reported stay in view, an error included.
        context = super().get_context_data(**kwargs)
        activity = self.get_parent() if self.is_create else self.object.activity
        context["activity"] = activity
        reported = activity.progress_updates.exclude(pk=self.object.pk).order_by("-period_end")
        context["reported"] = list(reported[:3])
        return context

    def create(self, data):
        return services.progress_update_submit(user=self.request.user, data=data)

    def update(self, data):
        return services.progress_update_change(update=self.object, user=self.request.user, data=data)


class CaseRecordEditView(ServiceEditView):
    """Events and deliverables belong to the CAP case; they are added from a workplan page (the
    address names the workplan, the record takes its CAP case) and return to it; an edited one
    returns to its CAP case's current workplan."""

    parent_field = "cap_case"

    def get_initial_object_values(self):
        if self.parent_kwarg not in self.kwargs:
            return {}
        return {"cap_case": self.get_parent().cap_case}

    def get_parent_url(self, parent):
        if isinstance(parent, Workplan):
            return parent.get_absolute_url()
        workplan = (
            _restricted(Workplan, self.request.user)
            .filter(cap_case_id=parent.pk)
            .current()
            .order_by("-version")
            .first()
        )
        return workplan.get_absolute_url() if workplan else reverse("workplans:workplan_list")


class EventEditView(CaseRecordEditView):
    queryset = Event.objects.select_related("cap_case__party")
    form_class = EventForm


class DeliverableEditView(CaseRecordEditView):
    queryset = Deliverable.objects.select_related("cap_case__party")
    form_class = DeliverableForm
    template_name = "workplans/deliverable_form.html"

    def create(self, data):
        return services.deliverable_submit(user=self.request.user, data=data)

    def update(self, data):
        return services.deliverable_change(deliverable=self.object, user=self.request.user, data=data)


class PartDeleteView(ObjectDeleteView):
    """Delete a part of a plan (refused once the version is no longer a draft)."""

    def get_success_url(self):
        return self.object.workplan.get_absolute_url()

    def form_valid(self, form):
        target, success_url = str(self.object), self.get_success_url()
        try:
            services.plan_object_delete(instance=self.object, user=self.request.user)
        except DjangoValidationError as error:
            message_validation_error(self.request, error)
            return HttpResponseRedirect(success_url)
        messages.success(self.request, _("%(object)s was deleted.") % {"object": target})
        return HttpResponseRedirect(success_url)


class ActivityDeleteView(PartDeleteView):
    queryset = Activity.objects.select_related("workplan__cap_case__party")


class MilestoneDeleteView(PartDeleteView):
    queryset = Milestone.objects.select_related("workplan__cap_case__party")


class IndicatorDeleteView(PartDeleteView):
    queryset = Indicator.objects.select_related("workplan__cap_case__party")


# --- Reviews and files ----------------------------------------------------------------------------


class ReviewView(TransitionView):
    """POST accept or return (with a comment) on a progress update (case managers): the generic
    transition view, the form naming the step."""

    queryset = ProgressUpdate.objects.select_related("activity__workplan__cap_case")
    form_class = ReviewForm
    action_field = "decision"
    roles = PROGRESS_REVIEW.roles
    success_message = _("Review recorded.")
    invalid_message = _("Choose accept or return.")


class DeliverableReviewView(ReviewView):
    queryset = Deliverable.objects.select_related("cap_case")

    def get_back_url(self, obj):
        return safe_next(self.request, reverse("workplans:my_work"))


class DeliverableFileView(ObjectDetailView):
    """The deliverable's document, only to those who may see the deliverable (404 otherwise)."""

    queryset = Deliverable.objects.all()

    def get(self, request, *args, **kwargs):
        return deliverable_file_response(self.get_object())


class MyWorkView(LoginRequiredMixin, TemplateView):
    """What waits for me: updates due, overdue milestones and returned items (focal points);
    submissions waiting for review (case managers)."""

    template_name = "workplans/my_work.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["work"] = selectors.my_work(self.request.user)
        context["review_form"] = ReviewForm()
        return context
