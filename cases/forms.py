from django import forms
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES, users_holding
from cap_portal.forms import BaseModelForm

from .choices import SELECTION_STAGES, CapStage, SelectionDecision
from .models import (
    CapCase,
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
from .workflow import transitions_from


def date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class MeetingForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Meeting
        fields = ["body", "number", "starts_on", "ends_on", "venue", "is_illustrative"]
        widgets = {"starts_on": date_input(), "ends_on": date_input()}


class ComplianceMechanismForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = ComplianceMechanism
        fields = ["code", "name", "short_name", "kind", "legal_basis", "concerns_species", "description"]


class ComplianceCaseForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = ComplianceCase
        fields = [
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
        ]
        widgets = {"opened_on": date_input(), "closed_on": date_input()}


class RecommendationForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Recommendation
        fields = [
            "party",
            "compliance_case",
            "adopted_at",
            "reference",
            "text",
            "area",
            "deadline",
            "status",
            "is_illustrative",
        ]
        widgets = {"deadline": date_input()}


class ComplianceMeasureForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = ComplianceMeasure
        fields = [
            "party",
            "compliance_case",
            "kind",
            "species",
            "adopted_at",
            "notification",
            "in_effect_from",
            "in_effect_to",
            "export_quota",
            "quota_unit",
            "description",
            "is_illustrative",
        ]
        widgets = {"in_effect_from": date_input(), "in_effect_to": date_input()}


class ProgressRatingForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = ProgressRating
        fields = ["compliance_case", "meeting", "rating", "note", "is_illustrative"]


class CapCaseForm(BaseModelForm):
    """The CAP case's own fields; its stage changes only through a transition."""

    class Meta(BaseModelForm.Meta):
        model = CapCase
        fields = ["party", "case_manager", "started_on", "summary", "is_illustrative"]
        widgets = {"started_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_manager"].queryset = users_holding(CASE_MANAGER_ROLES).order_by("username")


class EligibilityAssessmentForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = EligibilityAssessment
        fields = [
            "cap_case",
            "assessed_on",
            "export_significance",
            "committed",
            "focal_point_nominated",
            "formal_request",
            "ongoing_projects",
            "potential_for_impact",
            "notes",
            "is_illustrative",
        ]
        widgets = {"assessed_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = self.fields["cap_case"].queryset.select_related("party")
        if not self.instance.pk:
            queryset = queryset.filter(stage__in=SELECTION_STAGES)
        self.fields["cap_case"].queryset = queryset


class TechnicalMissionForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = TechnicalMission
        fields = [
            "starts_on",
            "ends_on",
            "place",
            "participants",
            "partners",
            "purpose",
            "strengths",
            "needs",
            "is_illustrative",
        ]
        widgets = {"starts_on": date_input(), "ends_on": date_input()}


class StakeholderForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Stakeholder
        fields = ["name", "kind", "role", "contact", "is_illustrative"]


class TransitionForm(forms.Form):
    """Move a CAP case: the choices are the steps the workflow table allows from its stage."""

    to_stage = forms.ChoiceField(label=_("Move to"), widget=forms.Select(attrs={"class": "form-select"}))
    reason = forms.CharField(
        label=_("Why"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )

    def __init__(self, *args, cap_case: CapCase, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [
            (t.target, f"{t.label} ({CapStage(t.target).label})") for t in transitions_from(cap_case.stage)
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=SelectionDecision.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"class": "form-control", "rows": 2})
    )


class ResultForm(BaseModelForm):
    """A result of the CAP case named in the address; what it answers is chosen among the
    records of the same Party (the service checks it again)."""

    class Meta(BaseModelForm.Meta):
        model = Result
        fields = [
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
        widgets = {"achieved_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cap_case = self.instance.cap_case if self.instance.cap_case_id else None
        if cap_case is not None:
            party_id = cap_case.party_id
            fields = self.fields
            fields["activities"].queryset = (
                fields["activities"]
                .queryset.filter(workplan__cap_case__party_id=party_id)
                .select_related("workplan")
            )
            fields["recommendations"].queryset = fields["recommendations"].queryset.filter(party_id=party_id)
            fields["compliance_cases"].queryset = (
                fields["compliance_cases"]
                .queryset.filter(party_id=party_id)
                .select_related("party", "mechanism")
            )
            fields["progress_rating"].queryset = (
                fields["progress_rating"]
                .queryset.filter(compliance_case__party_id=party_id)
                .select_related("compliance_case__party", "compliance_case__mechanism", "meeting")
            )
