from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
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


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "starts_on", "ends_on", "venue", "is_illustrative"]
    list_filter = ["body"]


@admin.register(ComplianceMechanism)
class ComplianceMechanismAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "name", "kind", "legal_basis", "concerns_species"]
    list_filter = ["kind"]


@admin.register(ComplianceCase)
class ComplianceCaseAdmin(SimpleHistoryAdmin):
    list_display = ["party", "mechanism", "species", "status", "opened_on", "closed_on"]
    list_filter = ["mechanism", "status"]
    search_fields = ["party__name", "species"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "party", "area", "deadline", "status"]
    list_filter = ["area", "status"]
    search_fields = ["party__name", "text", "reference"]


@admin.register(ComplianceMeasure)
class ComplianceMeasureAdmin(SimpleHistoryAdmin):
    list_display = [
        "party",
        "kind",
        "species",
        "notification",
        "in_effect_from",
        "in_effect_to",
        "export_quota",
    ]
    list_filter = ["kind"]


@admin.register(ProgressRating)
class ProgressRatingAdmin(SimpleHistoryAdmin):
    list_display = ["compliance_case", "meeting", "rating"]


class TransitionInline(admin.TabularInline):
    model = CapCaseTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "taken_by", "taken_at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False  # stages change only through cases.services.cap_case_transition


@admin.register(CapCase)
class CapCaseAdmin(SimpleHistoryAdmin):
    list_display = ["party", "stage", "case_manager", "started_on"]
    list_filter = ["stage"]
    readonly_fields = ["stage"]
    inlines = [TransitionInline]


@admin.register(EligibilityAssessment)
class EligibilityAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["cap_case", "assessed_on", "decision", "decided_on"]


@admin.register(TechnicalMission)
class TechnicalMissionAdmin(SimpleHistoryAdmin):
    list_display = ["cap_case", "place", "starts_on", "ends_on"]


@admin.register(Stakeholder)
class StakeholderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "cap_case", "kind"]
    list_filter = ["kind"]


class ResultAdminForm(forms.ModelForm):
    """The admin checks what a result answers like the services do (the same Party)."""

    class Meta:
        model = Result
        fields = [
            "cap_case",
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
            "is_illustrative",
        ]

    def clean(self):
        cleaned = super().clean()
        cap_case = cleaned.get("cap_case")
        if cap_case is not None:
            self.instance.cap_case = cap_case
            links = {
                name: cleaned.get(name) for name in ("activities", "recommendations", "compliance_cases")
            }
            try:
                self.instance.clean_links(**{k: list(v) for k, v in links.items() if v is not None})
            except forms.ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field, messages)
        return cleaned


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    form = ResultAdminForm
    list_display = ["title", "cap_case", "achieved_on", "species", "is_example", "review_status"]
    list_filter = ["review_status", "is_example"]
    search_fields = ["title", "species", "document_reference", "cap_case__party__name"]
    filter_horizontal = ["activities", "recommendations", "compliance_cases"]
    # The review is taken through cases.services.result_review, never typed in here.
    readonly_fields = ["review_status", "submitted_by", "reviewed_by", "reviewed_at", "review_comment"]
