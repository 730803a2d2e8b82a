from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cap_portal.api.serializers import BaseModelSerializer, PlainTextSerializer
from parties.api.serializers import PartyRelatedField

from ..choices import CapStage, SelectionDecision
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

TIMESTAMPS = ["created", "updated"]


class MechanismRelatedField(serializers.SlugRelatedField):
    """A compliance mechanism written and shown by its code (``rst``, ``article-xiii``…)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", ComplianceMechanism.objects.all())
        super().__init__(**kwargs)


class MeetingSerializer(BaseModelSerializer):
    code = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "code",
            "body",
            "number",
            "starts_on",
            "ends_on",
            "venue",
            "is_illustrative",
            *TIMESTAMPS,
        ]


class ComplianceMechanismSerializer(BaseModelSerializer):
    class Meta:
        model = ComplianceMechanism
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "legal_basis",
            "concerns_species",
            "description",
            *TIMESTAMPS,
        ]


class ComplianceCaseSerializer(BaseModelSerializer):
    party = PartyRelatedField()
    mechanism = MechanismRelatedField()

    class Meta:
        model = ComplianceCase
        fields = [
            "id",
            "party",
            "mechanism",
            "species",
            "status",
            "opened_at",
            "opened_on",
            "closed_at",
            "closed_on",
            "summary",
            "is_illustrative",
            *TIMESTAMPS,
        ]


class RecommendationSerializer(BaseModelSerializer):
    party = PartyRelatedField()
    body = serializers.CharField(source="adopted_at.body", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "party",
            "compliance_case",
            "body",
            "adopted_at",
            "reference",
            "text",
            "area",
            "deadline",
            "status",
            "is_overdue",
            "is_illustrative",
            *TIMESTAMPS,
        ]
        lean_reads = {"is_overdue": ("status", "deadline")}  # cap_portal.api.lean

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue(self.today)


class ComplianceMeasureSerializer(BaseModelSerializer):
    party = PartyRelatedField()
    in_effect = serializers.BooleanField(read_only=True)

    class Meta:
        model = ComplianceMeasure
        fields = [
            "id",
            "party",
            "compliance_case",
            "kind",
            "species",
            "adopted_at",
            "notification",
            "in_effect_from",
            "in_effect_to",
            "in_effect",
            "export_quota",
            "quota_unit",
            "description",
            "is_illustrative",
            *TIMESTAMPS,
        ]


class ProgressRatingSerializer(BaseModelSerializer):
    party = serializers.CharField(source="compliance_case.party.code", read_only=True)

    class Meta:
        model = ProgressRating
        fields = [
            "id",
            "party",
            "compliance_case",
            "meeting",
            "rating",
            "note",
            "is_illustrative",
            *TIMESTAMPS,
        ]


class CapCaseTransitionSerializer(serializers.ModelSerializer):
    taken_by = serializers.CharField(source="taken_by.get_username", read_only=True)

    class Meta:
        model = CapCaseTransition
        fields = ["id", "from_stage", "to_stage", "taken_by", "taken_at", "reason"]
        read_only_fields = fields


class CapCaseSerializer(BaseModelSerializer):
    party = PartyRelatedField()
    transitions = CapCaseTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = CapCase
        fields = [
            "id",
            "party",
            "stage",
            "case_manager",
            "started_on",
            "summary",
            "is_illustrative",
            "transitions",
            *TIMESTAMPS,
        ]
        # The stage changes only through the transition action.
        read_only_fields = ["stage"]


class TransitionRequestSerializer(PlainTextSerializer):
    to_stage = serializers.ChoiceField(choices=CapStage.choices)
    reason = serializers.CharField(help_text=_("Why the CAP case moves to this stage."))


class EligibilityAssessmentSerializer(BaseModelSerializer):
    party = serializers.CharField(source="cap_case.party.code", read_only=True)
    # Blank ("") until the decision is recorded: declared so that the schema's enum includes it.
    decision = serializers.ChoiceField(
        choices=SelectionDecision.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("Empty until a decision is recorded through the decide action."),
    )

    class Meta:
        model = EligibilityAssessment
        fields = [
            "id",
            "cap_case",
            "party",
            "assessed_on",
            "assessor",
            "export_significance",
            "committed",
            "focal_point_nominated",
            "formal_request",
            "ongoing_projects",
            "potential_for_impact",
            "notes",
            "decision",
            "decision_reason",
            "decided_by",
            "decided_on",
            "score_at_decision",
            "reasons_at_decision",
            "is_illustrative",
            *TIMESTAMPS,
        ]
        # The decision is recorded through the decide action, with the score as it stood.
        read_only_fields = [
            "decision",
            "decision_reason",
            "decided_by",
            "decided_on",
            "score_at_decision",
            "reasons_at_decision",
        ]


class DecisionRequestSerializer(PlainTextSerializer):
    decision = serializers.ChoiceField(choices=SelectionDecision.choices)
    reason = serializers.CharField(help_text=_("The reasons for the decision."))


class ReasonSerializer(PlainTextSerializer):
    points = serializers.IntegerField()
    text = serializers.CharField()


class RankedCandidateSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    cap_case = serializers.IntegerField(source="cap_case.pk")
    party = serializers.CharField(source="cap_case.party.code")
    stage = serializers.CharField(source="cap_case.stage")
    assessment = serializers.IntegerField(source="assessment.pk", allow_null=True, default=None)
    score = serializers.IntegerField()
    eligible = serializers.BooleanField()
    reasons = ReasonSerializer(many=True)


class TechnicalMissionSerializer(BaseModelSerializer):
    party = serializers.CharField(source="cap_case.party.code", read_only=True)

    class Meta:
        model = TechnicalMission
        fields = [
            "id",
            "cap_case",
            "party",
            "starts_on",
            "ends_on",
            "place",
            "participants",
            "partners",
            "purpose",
            "strengths",
            "needs",
            "is_illustrative",
            *TIMESTAMPS,
        ]


class StakeholderSerializer(BaseModelSerializer):
    party = serializers.CharField(source="cap_case.party.code", read_only=True)

    class Meta:
        model = Stakeholder
        fields = [
            "id",
            "cap_case",
            "party",
            "name",
            "kind",
            "role",
            "contact",
            "is_illustrative",
            *TIMESTAMPS,
        ]


class ResultSerializer(BaseModelSerializer):
    party = serializers.CharField(source="cap_case.party.code", read_only=True)
    submitted_by = serializers.CharField(
        source="submitted_by.get_username", read_only=True, allow_null=True, default=None
    )
    reviewed_by = serializers.CharField(
        source="reviewed_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Result
        fields = [
            "id",
            "cap_case",
            "party",
            "title",
            "description",
            "achieved_on",
            "activities",
            "recommendations",
            "compliance_cases",
            "progress_rating",
            "document_reference",
            "notification",
            "species",
            "quota",
            "quota_unit",
            "is_example",
            "review_status",
            "submitted_by",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "is_illustrative",
            *TIMESTAMPS,
        ]
        # The review changes only through the accept and return actions.
        read_only_fields = ["review_status", "reviewed_at", "review_comment"]
