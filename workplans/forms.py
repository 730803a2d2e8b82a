import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cap_portal.forms import BaseModelForm

from .choices import ChangeReason, ReviewDecision
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

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _dates(*names):
    return dict.fromkeys(names, DATE)


class WorkplanForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Workplan
        fields = [
            "cap_case",
            "title",
            "starts_on",
            "ends_on",
            "objective",
            "needs_and_gaps",
            "stakeholders",
            "communication",
            "monitoring",
        ]
        widgets = _dates("starts_on", "ends_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A version stays with its CAP case.
            del self.fields["cap_case"]
        else:
            self.fields["cap_case"].queryset = self.fields["cap_case"].queryset.select_related("party")


class WorkplanPartForm(BaseModelForm):
    """A part of a workplan: the activity choices are the same workplan's activities."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "activity" in self.fields:
            self.fields["activity"].queryset = Activity.objects.filter(workplan_id=self.instance.workplan_id)


class ActivityForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Activity
        fields = [
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
        ]
        widgets = _dates("planned_start", "planned_end", "actual_start", "actual_end")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The recommendations of the workplan's own Party only.
        field = self.fields["recommendations"]
        party_id = self.instance.workplan.cap_case.party_id if self.instance.workplan_id else None
        field.queryset = field.queryset.filter(party_id=party_id).select_related("adopted_at")
        field.widget.attrs["size"] = 6


class MilestoneForm(WorkplanPartForm):
    class Meta(BaseModelForm.Meta):
        model = Milestone
        fields = ["activity", "title", "due_on", "met_on", "evidence"]
        widgets = _dates("due_on", "met_on")


class IndicatorForm(WorkplanPartForm):
    class Meta(BaseModelForm.Meta):
        model = Indicator
        fields = ["activity", "name", "unit", "baseline", "target", "counts_people"]


class IndicatorValueForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = IndicatorValue
        fields = ["period_start", "period_end", "value", "female", "male", "other_or_not_recorded", "note"]
        widgets = _dates("period_start", "period_end")


class CorrectiveActionForm(WorkplanPartForm):
    class Meta(BaseModelForm.Meta):
        model = CorrectiveAction
        fields = ["activity", "reason", "description", "agreed_on", "due_on"]
        widgets = _dates("agreed_on", "due_on")


class ProgressUpdateForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = ProgressUpdate
        fields = [
            "period_start",
            "period_end",
            "status",
            "percent_complete",
            "actual_start",
            "actual_end",
            "narrative",
        ]
        widgets = {
            **_dates("period_start", "period_end", "actual_start", "actual_end"),
            "percent_complete": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 0–100 in the browser and on the server (the model's validator, repeated for the message).
        self.fields["percent_complete"].min_value = 0
        self.fields["percent_complete"].max_value = 100

    @staticmethod
    def initial_for(activity, updates, today: datetime.date) -> dict:
        """A new update starts from the last one: the next period (the day after the last period
        ended, to today), the status, percent and actual dates last reported. ``updates`` are the
        activity's updates (any order), so a page that prefetched them makes no query."""
        last = max(updates, key=lambda u: (u.period_end, u.pk), default=None)
        if last is None:
            start = activity.actual_start or activity.planned_start
            return {"period_start": start, "period_end": max(today, start) if start else today}
        start = last.period_end + datetime.timedelta(days=1)
        return {
            "period_start": start,
            "period_end": max(today, start),
            "status": last.status,
            "percent_complete": last.percent_complete,
            "actual_start": last.actual_start,
            "actual_end": last.actual_end,
        }


class CaseRecordForm(BaseModelForm):
    """An event or deliverable of a CAP case: the activity choices are those of the case's workplans."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            Activity.objects.filter(workplan__cap_case_id=self.instance.cap_case_id)
            .exclude(workplan__status="superseded")
            .select_related("workplan")
        )


class EventForm(CaseRecordForm):
    class Meta(BaseModelForm.Meta):
        model = Event
        fields = [
            "kind",
            "title",
            "activity",
            "start_on",
            "end_on",
            "venue",
            "is_online",
            "participants_female",
            "participants_male",
            "participants_other",
            "summary",
        ]
        widgets = _dates("start_on", "end_on")


class DeliverableForm(CaseRecordForm):
    class Meta(BaseModelForm.Meta):
        model = Deliverable
        fields = ["kind", "title", "activity", "description", "delivered_on", "file"]
        # The current document is linked to its permission-checked download by the template; a
        # ClearableFileInput would link the storage's own address (a signed bucket URL on S3).
        widgets = {"delivered_on": DATE, "file": forms.FileInput(attrs={"class": "form-control"})}


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.ChoiceField(label=_("Reason"), required=False, choices=[("", "—"), *ChangeReason.choices])


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=ReviewDecision.choices)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Filled workbook (XLSX)"), widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )
