from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from cap_portal.access import Action
from cap_portal.api.viewsets import BaseModelViewSet, WorkflowStepsMixin
from cap_portal.responses import XLSX, attachment, stored_file
from workplans import selectors, services
from workplans.choices import ReviewDecision, WorkplanAction
from workplans.filtersets import (
    ActivityFilterSet,
    CorrectiveActionFilterSet,
    DeliverableFilterSet,
    EventFilterSet,
    IndicatorFilterSet,
    IndicatorValueFilterSet,
    MilestoneFilterSet,
    ProgressUpdateFilterSet,
    WorkplanFilterSet,
)
from workplans.models import (
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
from workplans.spreadsheets import workplan_workbook

from .serializers import (
    ActivitySerializer,
    CorrectiveActionSerializer,
    DeliverableReviewSerializer,
    DeliverableSerializer,
    EventSerializer,
    ImportSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    MilestoneSerializer,
    ProgressUpdateSerializer,
    ReviewSerializer,
    TransitionSerializer,
    WorkplanDetailSerializer,
    WorkplanSerializer,
)


class ServiceViewSet(BaseModelViewSet):
    """A workplan or a part of one: deleting it is refused (400) once the version is no longer a draft."""

    def perform_destroy(self, instance):
        # Refused (400) once the plan is no longer a draft; then the base deletes (409 if protected).
        services.check_deletable(instance=instance)
        super().perform_destroy(instance)


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(
    ["invalid"], field_name="action", actions=["submit", "approve", "return_", "revise"], methods=["post"]
)
@extend_validation_errors(
    ["invalid"], field_name="comment", actions=["submit", "approve", "return_", "revise"], methods=["post"]
)
@extend_validation_errors(
    ["invalid"], field_name="reason", actions=["submit", "approve", "return_", "revise"], methods=["post"]
)
@extend_validation_errors(["invalid"], field_name="other", actions=["compare"])
@extend_validation_errors(["invalid"], field_name="file", actions=["import_"])
@extend_validation_errors(["invalid"], field_name="status", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(["invalid"], field_name="cap_case", methods=["post", "put", "patch", "delete"])
class WorkplanViewSet(WorkflowStepsMixin, ServiceViewSet):
    """CAP workplan versions. Workflow: ``submit``, ``approve``, ``return``, ``revise`` (POST);
    ``compare`` with another version; ``coverage`` of the Party's pending recommendations;
    XLSX ``export``, ``template`` and ``import``."""

    queryset = Workplan.objects.select_related("cap_case__party")
    serializer_class = WorkplanSerializer
    filterset_class = WorkplanFilterSet
    extra_action_access = {
        "submit": Action.VIEW,
        "approve": Action.VIEW,
        "return_": Action.VIEW,
        "revise": Action.VIEW,
        "compare": Action.VIEW,
        "coverage": Action.VIEW,
        "export": Action.VIEW,
        "template": Action.VIEW,
        "import_": Action.CHANGE,
    }
    # A role that may never take a step gets 403; a planner gets 404 for another Party's version.
    workflow_steps = {
        "submit": WorkplanAction.SUBMIT,
        "approve": WorkplanAction.APPROVE,
        "return_": WorkplanAction.RETURN,
        "revise": WorkplanAction.REVISE,
    }

    def get_serializer_class(self):
        if self.action == "retrieve":
            return WorkplanDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("steps__actor")
        return queryset

    def _transition(self, request, action_name):
        return self.take_step(request, action_name, serializer_class=TransitionSerializer)

    def step_response(self, obj):
        # The version the step leaves the user on (a revision's new draft), with its steps.
        result = self.get_queryset().prefetch_related("steps__actor").get(pk=obj.pk)
        return Response(WorkplanDetailSerializer(result, context=self.get_serializer_context()).data)

    @extend_schema(request=TransitionSerializer, responses=WorkplanDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft or returned version for approval (MA focal point or case manager)."""
        return self._transition(request, WorkplanAction.SUBMIT)

    @extend_schema(request=TransitionSerializer, responses=WorkplanDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a submitted version (case manager); the version it revises is superseded."""
        return self._transition(request, WorkplanAction.APPROVE)

    @extend_schema(request=TransitionSerializer, responses=WorkplanDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return a submitted version for changes, with a comment (case manager)."""
        return self._transition(request, WorkplanAction.RETURN)

    @extend_schema(request=TransitionSerializer, responses={201: WorkplanDetailSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """Start a revision of an approved version, giving the reason: returns the new draft version."""
        response = self._transition(request, WorkplanAction.REVISE)
        response.status_code = 201
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "other", int, description="The version to compare with (default: the one it revises)"
            )
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        """Activities, milestones, indicators and budget lines added, removed or changed between two
        versions, with each version's budget total (USD)."""
        workplan = self.get_object()
        other_id = request.query_params.get("other") or workplan.revises_id
        if not other_id:
            raise serializers.ValidationError(
                {"other": _("This is the first version: name a version to compare with.")}
            )
        other = get_object_or_404(self.get_queryset().filter(cap_case_id=workplan.cap_case_id), pk=other_id)
        old, new = sorted([other, workplan], key=lambda w: w.version)
        diff = selectors.workplan_compare(old, new)

        def budget_line(line):
            return {
                "id": line.pk,
                "activity": line.activity.code if line.activity_id else None,
                "description": line.description,
                "year": line.year,
                "category": line.category,
                "funding_source": line.funding_source_id,
                "amount": str(line.amount),
            }

        def rows(part, label):
            return {
                "added": [label(o) for o in part["added"]],
                "removed": [label(o) for o in part["removed"]],
                "changed": [{"key": c["key"], "changes": c["changes"]} for c in part["changed"]],
            }

        return Response(
            {
                "old": {"id": old.pk, "version": old.version, "status": old.status},
                "new": {"id": new.pk, "version": new.version, "status": new.status},
                "fields": diff["fields"],
                "activities": rows(diff["activities"], lambda a: {"code": a.code, "title": a.title}),
                "milestones": rows(diff["milestones"], lambda m: {"title": m.title, "due_on": m.due_on}),
                "indicators": rows(diff["indicators"], lambda i: {"name": i.name}),
                "budget": {
                    **rows(diff["budget"], budget_line),
                    "totals": {key: str(value) for key, value in diff["budget"]["totals"].items()},
                },
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """The Party's pending recommendations, and those no activity of this version addresses."""
        coverage = selectors.workplan_coverage(self.get_object())

        def brief(r):
            return {
                "id": r.pk,
                "reference": r.reference,
                "area": r.area,
                "deadline": r.deadline,
                "status": r.status,
            }

        return Response(
            {
                "pending": len(coverage["pending"]),
                "addressed": [brief(r) for r in coverage["addressed"]],
                "unaddressed": [brief(r) for r in coverage["unaddressed"]],
            }
        )

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """The version's plan as an XLSX workbook (the template's layout)."""
        workplan = self.get_object()
        name = f"workplan-{workplan.cap_case.party.code}-v{workplan.version}.xlsx"
        return attachment(workplan_workbook(workplan), name, XLSX)

    @extend_schema(responses={(200, XLSX): bytes})
    @action(detail=False, methods=["get"])
    def template(self, request):
        """An empty workbook to fill and import."""
        return attachment(workplan_workbook(None), "workplan-template.xlsx", XLSX)

    @extend_schema(request=ImportSerializer, responses=WorkplanDetailSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_(self, request, pk=None):
        """Replace a draft's plan with a filled workbook, all or nothing; a 400 lists every bad cell."""
        workplan = self.get_object()
        params = ImportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        services.workplan_import(workplan=workplan, user=request.user, file=params.validated_data["file"])
        return Response(
            WorkplanDetailSerializer(
                self.get_queryset().get(pk=workplan.pk), context=self.get_serializer_context()
            ).data
        )


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="workplan", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(["invalid"], field_name="code", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(
    ["invalid"], field_name="recommendations", methods=["post", "put", "patch", "delete"]
)
class ActivityViewSet(ServiceViewSet):
    """Activities of workplan versions, grouped by area of concern; editable only in a draft."""

    queryset = Activity.objects.select_related("workplan__cap_case__party")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="workplan", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(["invalid"], field_name="activity", methods=["post", "put", "patch", "delete"])
class MilestoneViewSet(ServiceViewSet):
    """Milestones; ``is_overdue`` when not met by the due date (``?overdue=true`` lists those)."""

    queryset = Milestone.objects.select_related("workplan")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="workplan", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(["invalid"], field_name="activity", methods=["post", "put", "patch", "delete"])
class IndicatorViewSet(ServiceViewSet):
    queryset = Indicator.objects.select_related("workplan")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="indicator", methods=["post", "put", "patch", "delete"])
class IndicatorValueViewSet(ServiceViewSet):
    """Actual values of indicators per reporting period, by sex where people are counted."""

    queryset = IndicatorValue.objects.select_related("indicator__workplan")
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="activity", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(["invalid"], field_name="review_status", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(
    ["invalid"], field_name="review_status", actions=["accept", "return_"], methods=["post"]
)
@extend_validation_errors(["invalid"], field_name="comment", actions=["accept", "return_"], methods=["post"])
class ProgressUpdateViewSet(WorkflowStepsMixin, ServiceViewSet):
    """Progress reported per activity and period; the case manager ``accept``s or ``return``s it."""

    queryset = ProgressUpdate.objects.select_related("activity__workplan", "submitted_by", "reviewed_by")
    serializer_class = ProgressUpdateSerializer
    filterset_class = ProgressUpdateFilterSet
    extra_action_access = {"accept": Action.VIEW, "return_": Action.VIEW}
    workflow_steps = {"accept": ReviewDecision.ACCEPT, "return_": ReviewDecision.RETURN}

    def perform_create(self, serializer):
        serializer.instance = services.progress_update_submit(
            user=self.request.user, data=dict(serializer.validated_data)
        )

    @transaction.atomic
    def perform_update(self, serializer):
        serializer.instance = services.progress_update_change(
            update=self.lock_and_check_version(serializer.instance),
            user=self.request.user,
            data=dict(serializer.validated_data),
        )
        self._object_for_etag = serializer.instance

    @extend_schema(request=ReviewSerializer, responses=ProgressUpdateSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the update: its activity takes the reported status and percent (case manager)."""
        return self.take_step(request, ReviewDecision.ACCEPT, serializer_class=ReviewSerializer)

    @extend_schema(request=ReviewSerializer, responses=ProgressUpdateSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return the update to the focal point with a comment (case manager)."""
        return self.take_step(request, ReviewDecision.RETURN, serializer_class=ReviewSerializer)


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="activity", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(["invalid"], field_name="cap_case", methods=["post", "put", "patch", "delete"])
class EventViewSet(ServiceViewSet):
    """Technical missions, workshops, trainings and coordination meetings, with participants by sex."""

    queryset = Event.objects.select_related("cap_case__party")
    serializer_class = EventSerializer
    filterset_class = EventFilterSet


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="activity", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(["invalid"], field_name="cap_case", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(
    ["file_too_large", "file_extension", "file_content"], field_name="file", methods=["post", "put", "patch"]
)
@extend_validation_errors(["invalid"], field_name="comment", actions=["review"], methods=["post"])
class DeliverableViewSet(WorkflowStepsMixin, ServiceViewSet):
    """Deliverables with their document (``download``) and the Secretariat's ``review``."""

    queryset = Deliverable.objects.select_related("cap_case__party")
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    extra_action_access = {"download": Action.VIEW, "review": Action.VIEW}
    workflow_steps = {"review": None}  # the decision names the step: accept or return

    def perform_create(self, serializer):
        serializer.instance = services.deliverable_submit(
            user=self.request.user, data=dict(serializer.validated_data)
        )

    @transaction.atomic
    def perform_update(self, serializer):
        serializer.instance = services.deliverable_change(
            deliverable=self.lock_and_check_version(serializer.instance),
            user=self.request.user,
            data=dict(serializer.validated_data),
        )
        self._object_for_etag = serializer.instance

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The deliverable's document, to those who may see the deliverable (404 otherwise)."""
        return deliverable_file_response(self.get_object())

    @extend_schema(request=DeliverableReviewSerializer, responses=DeliverableSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Accept the deliverable or return it with a comment (case manager)."""
        return self.take_step(request, serializer_class=DeliverableReviewSerializer)

    def step_from_input(self, obj, data):
        return data.pop("decision")


# Business rules checked by the models and services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="activity", methods=["post", "put", "patch", "delete"])
@extend_validation_errors(["invalid"], field_name="workplan", methods=["post", "put", "patch", "delete"])
class CorrectiveActionViewSet(ServiceViewSet):
    """Corrective actions agreed during implementation, with their reason."""

    queryset = CorrectiveAction.objects.select_related("workplan")
    serializer_class = CorrectiveActionSerializer
    filterset_class = CorrectiveActionFilterSet


def deliverable_file_response(deliverable: Deliverable):
    """The deliverable's document under the name it was uploaded with (the caller has checked access)."""
    return stored_file(deliverable.file, deliverable.original_name or "document")
