from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework.decorators import action
from rest_framework.response import Response

from cap_portal.access import Action
from cap_portal.api.viewsets import BaseModelViewSet, WorkflowStepsMixin
from workplans.choices import ReviewDecision

from ..filtersets import (
    CapCaseFilterSet,
    ComplianceCaseFilterSet,
    ComplianceMeasureFilterSet,
    ComplianceMechanismFilterSet,
    EligibilityAssessmentFilterSet,
    MeetingFilterSet,
    ProgressRatingFilterSet,
    RecommendationFilterSet,
    ResultFilterSet,
    StakeholderFilterSet,
    TechnicalMissionFilterSet,
)
from ..models import (
    CapCase,
    CapCaseTransition,
    ComplianceCase,
    ComplianceMeasure,
    ComplianceMechanism,
    EligibilityAssessment,
    Meeting,
    ProgressRating,
    Recommendation,
    Result,
    Stakeholder,
    TechnicalMission,
)
from ..selectors import candidate_ranking
from ..services import cap_case_step, eligibility_decide, result_change, result_delete, result_record
from .serializers import (
    CapCaseSerializer,
    ComplianceCaseSerializer,
    ComplianceMeasureSerializer,
    ComplianceMechanismSerializer,
    DecisionRequestSerializer,
    EligibilityAssessmentSerializer,
    MeetingSerializer,
    ProgressRatingSerializer,
    RankedCandidateSerializer,
    RecommendationSerializer,
    ResultSerializer,
    StakeholderSerializer,
    TechnicalMissionSerializer,
    TransitionRequestSerializer,
)


class MeetingViewSet(BaseModelViewSet):
    """Meetings of the Standing Committee, the Animals and Plants Committees and the CoP (public)."""

    queryset = Meeting.objects.all()
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet


class ComplianceMechanismViewSet(BaseModelViewSet):
    """Compliance mechanisms and processes with their legal basis (public reference data)."""

    queryset = ComplianceMechanism.objects.all()
    serializer_class = ComplianceMechanismSerializer
    filterset_class = ComplianceMechanismFilterSet


class ComplianceCaseViewSet(BaseModelViewSet):
    """Each Party under each compliance mechanism or process (and species, where it concerns species)."""

    queryset = ComplianceCase.objects.select_related("party", "mechanism")
    serializer_class = ComplianceCaseSerializer
    filterset_class = ComplianceCaseFilterSet


class RecommendationViewSet(BaseModelViewSet):
    """Recommendations adopted at meetings, with their deadline, status and whether they are overdue."""

    queryset = Recommendation.objects.select_related("party", "adopted_at")
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilterSet


class ComplianceMeasureViewSet(BaseModelViewSet):
    """Compliance measures; ``in_effect`` is derived from the dates (filter ``?in_effect=true``)."""

    queryset = ComplianceMeasure.objects.select_related("party")
    serializer_class = ComplianceMeasureSerializer
    filterset_class = ComplianceMeasureFilterSet


class ProgressRatingViewSet(BaseModelViewSet):
    """Progress ratings per meeting on the NIAP scale."""

    queryset = ProgressRating.objects.select_related("compliance_case__party")
    serializer_class = ProgressRatingSerializer
    filterset_class = ProgressRatingFilterSet


# Business rules of the workflow table (cases.workflow), documented for the API schema: a move the
# table does not have answers 400 on "to_stage".
@extend_validation_errors(["invalid"], field_name="to_stage", actions=["transition"], methods=["post"])
class CapCaseViewSet(WorkflowStepsMixin, BaseModelViewSet):
    """CAP cases. The stage changes only through ``POST …/{id}/transition/`` (case managers)."""

    queryset = CapCase.objects.select_related("party").prefetch_related(
        Prefetch("transitions", queryset=CapCaseTransition.objects.select_related("taken_by"))
    )
    serializer_class = CapCaseSerializer
    filterset_class = CapCaseFilterSet
    extra_action_access = {"transition": Action.CHANGE}
    workflow_steps = {"transition": None}  # the target stage names the step

    @extend_schema(request=TransitionRequestSerializer, responses=CapCaseSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the CAP case to another stage, with the reason; the workflow table says which
        moves exist (400 otherwise) and who may take them (403 otherwise)."""
        return self.take_step(request, serializer_class=TransitionRequestSerializer)

    def step_from_input(self, obj, data):
        # The input names the target stage (and the reason, the workflow's comment).
        return cap_case_step(cap_case=obj, to_stage=data.pop("to_stage"))

    def step_response(self, obj):
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)


# Business rules of the decision, documented for the API schema: the decision moves the CAP case
# through the workflow table (400 on "to_stage" when the case is not at a stage it may leave so).
@extend_validation_errors(["invalid"], field_name="to_stage", actions=["decide"], methods=["post"])
@extend_validation_errors(["invalid"], field_name="decision_reason", actions=["decide"], methods=["post"])
class EligibilityAssessmentViewSet(BaseModelViewSet):
    """The Secretariat's eligibility assessments of CAP candidates (prong 1).

    ``GET …/ranking/`` proposes a ranking of the candidates with the reasons for each rank;
    ``POST …/{id}/decide/`` records a decision and moves the CAP case accordingly.
    """

    queryset = EligibilityAssessment.objects.select_related("cap_case__party")
    serializer_class = EligibilityAssessmentSerializer
    filterset_class = EligibilityAssessmentFilterSet
    extra_action_access = {"decide": Action.CHANGE, "ranking": Action.VIEW}

    @extend_schema(request=DecisionRequestSerializer, responses=EligibilityAssessmentSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Record the decision on this candidate and its reasons (case managers only)."""
        assessment = self.get_object()
        payload = DecisionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        assessment = eligibility_decide(
            assessment=assessment,
            decision=payload.validated_data["decision"],
            reason=payload.validated_data["reason"],
            user=request.user,
        )
        return Response(self.get_serializer(assessment).data)

    @extend_schema(responses=RankedCandidateSerializer(many=True), filters=False)
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def ranking(self, request):
        """The proposed ranking of the candidates still under selection, with the reasons."""
        rows = candidate_ranking(user=request.user)
        return Response(RankedCandidateSerializer(rows, many=True).data)


class TechnicalMissionViewSet(BaseModelViewSet):
    """Technical missions of the Secretariat to CAP Parties (prong 2)."""

    queryset = TechnicalMission.objects.select_related("cap_case__party")
    serializer_class = TechnicalMissionSerializer
    filterset_class = TechnicalMissionFilterSet


class StakeholderViewSet(BaseModelViewSet):
    """Stakeholders and partners in each CAP Party's in-country coordination (prong 3)."""

    queryset = Stakeholder.objects.select_related("cap_case__party")
    serializer_class = StakeholderSerializer
    filterset_class = StakeholderFilterSet


# Business rules checked by the model and the services, documented for the API schema.
@extend_validation_errors(["invalid"], field_name="activities", methods=["post", "put", "patch"])
@extend_validation_errors(["invalid"], field_name="recommendations", methods=["post", "put", "patch"])
@extend_validation_errors(["invalid"], field_name="compliance_cases", methods=["post", "put", "patch"])
@extend_validation_errors(["invalid"], field_name="review_status", methods=["put", "patch", "delete"])
@extend_validation_errors(
    ["invalid"], field_name="review_status", actions=["accept", "return_"], methods=["post"]
)
@extend_validation_errors(["invalid"], field_name="comment", actions=["return_"], methods=["post"])
class ResultViewSet(WorkflowStepsMixin, BaseModelViewSet):
    """Results of CAP cases (what was achieved, the evidence, what it answers); a case manager
    other than the submitter ``accept``s a result, or ``return``s it with a comment."""

    queryset = Result.objects.select_related(
        "cap_case__party", "submitted_by", "reviewed_by"
    ).prefetch_related("activities", "recommendations", "compliance_cases")
    serializer_class = ResultSerializer
    filterset_class = ResultFilterSet
    extra_action_access = {"accept": Action.VIEW, "return_": Action.VIEW}
    workflow_steps = {"accept": ReviewDecision.ACCEPT, "return_": ReviewDecision.RETURN}

    def perform_create(self, serializer):
        serializer.instance = result_record(user=self.request.user, data=dict(serializer.validated_data))

    @transaction.atomic
    def perform_update(self, serializer):
        serializer.instance = result_change(
            result=self.lock_and_check_version(serializer.instance),
            user=self.request.user,
            data=dict(serializer.validated_data),
        )
        self._object_for_etag = serializer.instance

    def perform_destroy(self, instance):
        # The base ``destroy`` has locked the row and checked If-Match.
        result_delete(result=instance, user=self.request.user)

    @extend_schema(responses=ResultSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the result: it counts from now on (a case manager other than the submitter)."""
        return self.take_step(request, ReviewDecision.ACCEPT)

    @extend_schema(responses=ResultSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Return the result to whoever submitted it, with a comment (case manager)."""
        return self.take_step(request, ReviewDecision.RETURN)
