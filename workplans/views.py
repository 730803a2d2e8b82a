"""Workplan pages. Lists, pages and forms restrict their querysets like every base view (404 for
another Party's records, 403 for a role that may never act); workflow steps and reviews go
through the services, which check the roles named in the workflow table."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from cap_portal.access import Action, get_user_roles, holds_any_role
from cap_portal.views import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView

from . import selectors, services
from .api.views import XLSX, deliverable_file_response
from .choices import AreaOfConcern, ReviewDecision, WorkplanAction, WorkplanStatus
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
from .workflow import CASE_MANAGER_ONLY, TRANSITIONS, available_actions


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
                activity.progress_form = ProgressUpdateForm(auto_id=f"id_%s_{activity.pk}")
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
                "actions": available_actions(user, workplan),
                "transition_form": TransitionForm(),
                "review_form": ReviewForm(),
                "can_edit_plan": workplan.is_editable and policy.permits(user, Action.CHANGE, workplan),
                "can_record": workplan.status == WorkplanStatus.APPROVED
                and policy.permits(user, Action.CHANGE, workplan),
                "can_add_records": policy.permits(user, Action.CHANGE, workplan),
                "can_delete": workplan.deletion_error() is None
                and policy.permits(user, Action.DELETE, workplan),
                "is_case_manager": "case_manager" in get_user_roles(user).global_roles,
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
            messages.error(self.request, " ".join(error.messages))
            return HttpResponseRedirect(self.object.get_absolute_url())
        messages.success(self.request, _("%(object)s was deleted.") % {"object": target})
        return HttpResponseRedirect(success_url)


class WorkplanTransitionView(LoginRequiredMixin, View):
    """POST a workflow step (submit, approve, return, revise) with its comment or reason."""

    def post(self, request, pk, action):
        if action not in WorkplanAction.values:
            raise PermissionDenied
        # A role that may never take the step: 403 before the lookup (as in the API).
        transition = TRANSITIONS.get(action)
        if transition is not None and not holds_any_role(request.user, transition.roles):
            raise PermissionDenied
        workplan = get_object_or_404(_restricted(Workplan, request.user), pk=pk)
        form = TransitionForm(request.POST)
        form.is_valid()
        try:
            result = services.workplan_transition(
                workplan=workplan,
                action=action,
                user=request.user,
                comment=form.cleaned_data.get("comment", ""),
                reason=form.cleaned_data.get("reason", ""),
            )
        except DjangoValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(workplan.get_absolute_url())
        messages.success(
            request,
            _("%(object)s: %(action)s done.") % {"object": result, "action": WorkplanAction(action).label},
        )
        return HttpResponseRedirect(result.get_absolute_url())


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
        response = HttpResponse(workplan_workbook(workplan), content_type=XLSX)
        filename = f"workplan-{workplan.cap_case.party.code}-v{workplan.version}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class WorkplanTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        if not Workplan.access_policy.allows(request.user, Action.VIEW):
            raise PermissionDenied
        response = HttpResponse(workplan_workbook(None), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="workplan-template.xlsx"'
        return response


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


class ServiceEditView(ObjectEditView):
    """An edit view whose writes may go through a domain service (``create`` / ``update``)."""

    parent_model = Workplan
    parent_field = "workplan"

    def get_parent(self):
        return get_object_or_404(
            _restricted(self.parent_model, self.request.user).select_related("cap_case__party"),
            pk=self.kwargs["parent"],
        )

    def get_initial_object_values(self):
        return {self.parent_field: self.get_parent()}

    @property
    def is_create(self):
        return self.pk_url_kwarg not in self.kwargs

    def get_cancel_url(self):
        return self.workplan_url()

    def get_success_url(self):
        return self.workplan_url()

    def workplan_url(self):
        obj = getattr(self, "object", None)
        if obj is None or obj.pk is None:
            parent = self.get_parent()
        else:
            parent = getattr(obj, self.parent_field)
        if isinstance(parent, Workplan):
            return parent.get_absolute_url()
        return self.request.GET.get("return_url") or reverse("workplans:workplan_list")


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

    def workplan_url(self):
        obj = getattr(self, "object", None)
        indicator = obj.indicator if obj is not None and obj.pk else self.get_parent()
        return indicator.get_absolute_url()

    def get_parent(self):
        return get_object_or_404(
            _restricted(Indicator, self.request.user).select_related("workplan"), pk=self.kwargs["parent"]
        )


class ProgressUpdateEditView(ServiceEditView):
    """A focal point reports (or corrects) progress on an activity."""

    queryset = ProgressUpdate.objects.select_related("activity__workplan__cap_case__party")
    form_class = ProgressUpdateForm
    parent_model = Activity
    parent_field = "activity"

    def get_parent(self):
        return get_object_or_404(
            _restricted(Activity, self.request.user).select_related("workplan"), pk=self.kwargs["parent"]
        )

    def workplan_url(self):
        obj = getattr(self, "object", None)
        activity = obj.activity if obj is not None and obj.pk else self.get_parent()
        return activity.get_absolute_url()

    def create(self, data):
        return services.progress_update_submit(user=self.request.user, data=data)

    def update(self, data):
        return services.progress_update_change(update=self.object, user=self.request.user, data=data)


class CaseRecordEditView(ServiceEditView):
    """Events and deliverables belong to the CAP case; they are added from a workplan page."""

    parent_field = "cap_case"

    def get_initial_object_values(self):
        return {"cap_case": self.get_parent().cap_case}

    def workplan_url(self):
        obj = getattr(self, "object", None)
        if obj is not None and obj.pk:
            workplan = (
                _restricted(Workplan, self.request.user)
                .filter(cap_case_id=obj.cap_case_id)
                .current()
                .order_by("-version")
                .first()
            )
            return workplan.get_absolute_url() if workplan else reverse("workplans:workplan_list")
        return self.get_parent().get_absolute_url()


class EventEditView(CaseRecordEditView):
    queryset = Event.objects.select_related("cap_case__party")
    form_class = EventForm


class DeliverableEditView(CaseRecordEditView):
    queryset = Deliverable.objects.select_related("cap_case__party")
    form_class = DeliverableForm
    template_name = "workplans/deliverable_form.html"

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
            messages.error(self.request, " ".join(error.messages))
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


class ReviewView(LoginRequiredMixin, View):
    """POST accept or return (with a comment) on a progress update or deliverable (case managers)."""

    model = ProgressUpdate
    roles = CASE_MANAGER_ONLY

    def post(self, request, pk):
        # Other roles never review: 403 before the lookup (as in the API).
        if not holds_any_role(request.user, self.roles):
            raise PermissionDenied
        obj = get_object_or_404(_restricted(self.model, request.user), pk=pk)
        form = ReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose accept or return."))
            return HttpResponseRedirect(self.back(obj))
        accept = form.cleaned_data["decision"] == ReviewDecision.ACCEPT
        try:
            self.review(obj, accept, form.cleaned_data["comment"])
        except DjangoValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Review recorded."))
        return HttpResponseRedirect(self.back(obj))

    def review(self, obj, accept, comment):
        services.progress_update_review(update=obj, user=self.request.user, accept=accept, comment=comment)

    def back(self, obj):
        return self.request.POST.get("next") or obj.get_absolute_url()


class DeliverableReviewView(ReviewView):
    model = Deliverable

    def review(self, obj, accept, comment):
        services.deliverable_review(deliverable=obj, user=self.request.user, accept=accept, comment=comment)

    def back(self, obj):
        return self.request.POST.get("next") or reverse("workplans:my_work")


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
