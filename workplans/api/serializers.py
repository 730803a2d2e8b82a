from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cap_portal.api.serializers import BaseModelSerializer, PlainTextSerializer
from workplans.choices import ChangeReason, ReviewDecision
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
    WorkplanStep,
)


@extend_schema_field(OpenApiTypes.STR)
class PartyCodeField(serializers.ReadOnlyField):
    """The Party's ISO code, read through the object's path to it (shown, never written)."""

    lean_attribute = "code"  # all it reads of the Party (cap_portal.api.lean)

    def to_representation(self, value):
        return str(value.code) if value is not None else None


class WorkplanStepSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = WorkplanStep
        fields = ["action", "from_status", "to_status", "actor", "taken_at", "comment", "reason"]


class WorkplanSerializer(BaseModelSerializer):
    party = PartyCodeField(source="cap_case.party")
    revision_reason = serializers.ChoiceField(choices=ChangeReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Workplan
        fields = [
            "id",
            "cap_case",
            "party",
            "version",
            "status",
            "revises",
            "revision_reason",
            "title",
            "starts_on",
            "ends_on",
            "objective",
            "needs_and_gaps",
            "stakeholders",
            "communication",
            "monitoring",
            "is_illustrative",
            "created",
            "updated",
        ]
        read_only_fields = ["version", "status", "revises", "revision_reason"]
        validators = []  # the model's clean() names the field (one workplan line per CAP case)


class RecommendationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    text = serializers.CharField()
    area = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    status = serializers.CharField()


class WorkplanDetailSerializer(WorkplanSerializer):
    steps = WorkplanStepSerializer(many=True, read_only=True)
    unaddressed_recommendations = serializers.SerializerMethodField()

    class Meta(WorkplanSerializer.Meta):
        fields = [*WorkplanSerializer.Meta.fields, "steps", "unaddressed_recommendations"]

    def get_unaddressed_recommendations(self, obj) -> list[dict]:
        from workplans.selectors import workplan_coverage

        return RecommendationBriefSerializer(workplan_coverage(obj)["unaddressed"], many=True).data


class TransitionSerializer(PlainTextSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.ChoiceField(
        choices=ChangeReason.choices, required=False, allow_blank=True, default=""
    )


class ReviewSerializer(PlainTextSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DeliverableReviewSerializer(ReviewSerializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


class ActivitySerializer(BaseModelSerializer):
    party = PartyCodeField(source="workplan.cap_case.party")

    class Meta:
        model = Activity
        fields = [
            "id",
            "workplan",
            "party",
            "code",
            "title",
            "description",
            "area",
            "priority",
            "responsible_entity",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "status",
            "percent_complete",
            "recommendations",
            "is_illustrative",
            "created",
            "updated",
        ]
        validators = []  # the model names the field: "code"

    def validate(self, attrs):
        attrs = super().validate(attrs)
        recommendations = attrs.get("recommendations")
        workplan = attrs.get("workplan") or getattr(self.instance, "workplan", None)
        if recommendations and workplan is not None:
            party_id = workplan.cap_case.party_id
            if any(r.party_id != party_id for r in recommendations):
                raise serializers.ValidationError(
                    {"recommendations": _("An activity addresses recommendations of its own Party only.")}
                )
        return attrs


class MilestoneSerializer(BaseModelSerializer):
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "workplan",
            "activity",
            "title",
            "due_on",
            "met_on",
            "evidence",
            "is_overdue",
            "is_illustrative",
            "created",
            "updated",
        ]
        lean_reads = {"is_overdue": ("met_on", "due_on")}  # cap_portal.api.lean

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue_on(self.today)


class IndicatorSerializer(BaseModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "workplan",
            "activity",
            "name",
            "unit",
            "baseline",
            "target",
            "counts_people",
            "is_illustrative",
            "created",
            "updated",
        ]


class IndicatorValueSerializer(BaseModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "period_start",
            "period_end",
            "value",
            "female",
            "male",
            "other_or_not_recorded",
            "note",
            "created",
            "updated",
        ]


class ProgressUpdateSerializer(BaseModelSerializer):
    submitted_by = serializers.CharField(
        source="submitted_by.get_username", read_only=True, allow_null=True, default=None
    )
    reviewed_by = serializers.CharField(
        source="reviewed_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "activity",
            "period_start",
            "period_end",
            "narrative",
            "status",
            "percent_complete",
            "actual_start",
            "actual_end",
            "review_status",
            "submitted_by",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "created",
            "updated",
        ]
        read_only_fields = ["review_status", "reviewed_at", "review_comment"]


class EventSerializer(BaseModelSerializer):
    participants_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = Event
        fields = [
            "id",
            "cap_case",
            "activity",
            "kind",
            "title",
            "start_on",
            "end_on",
            "venue",
            "is_online",
            "participants_female",
            "participants_male",
            "participants_other",
            "participants_total",
            "summary",
            "is_illustrative",
            "created",
            "updated",
        ]


class DeliverableSerializer(BaseModelSerializer):
    file = serializers.FileField(write_only=True, required=False, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "cap_case",
            "activity",
            "kind",
            "title",
            "description",
            "delivered_on",
            "file",
            "original_name",
            "download_url",
            "review_status",
            "review_comment",
            "reviewed_at",
            "is_illustrative",
            "created",
            "updated",
        ]
        read_only_fields = ["original_name", "review_status", "review_comment", "reviewed_at"]

    def get_download_url(self, obj) -> str | None:
        if not obj.file:
            return None
        return reverse("api:deliverable-download", kwargs={"pk": obj.pk})


class CorrectiveActionSerializer(BaseModelSerializer):
    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "workplan",
            "activity",
            "reason",
            "description",
            "agreed_on",
            "due_on",
            "created",
            "updated",
        ]
