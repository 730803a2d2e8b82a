"""One FilterSet per model, shared by the API, the UI list pages and selectors."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parties.filtersets import PartyCodeFilter

from .choices import (
    ActivityStatus,
    AreaOfConcern,
    ChangeReason,
    DeliverableKind,
    EventKind,
    Priority,
    ResponsibleEntity,
    ReviewStatus,
    WorkplanStatus,
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


def party_filter(path: str):
    """Filter by the Party's ISO code(s) (``?party=TG,NG``), following ``path`` to the Party."""
    return PartyCodeFilter(field_name=f"{path}__code")


class WorkplanFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    party = party_filter("cap_case__party")
    status = django_filters.MultipleChoiceFilter(choices=WorkplanStatus.choices, label=_("Status"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("Current versions only"))

    class Meta:
        model = Workplan
        fields = ["q", "party", "cap_case", "status", "current"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(cap_case__party__name__icontains=value))

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.current() if value else queryset.filter(status=WorkplanStatus.SUPERSEDED)


class WorkplanPartFilterSet(django_filters.FilterSet):
    """Base for the parts of a workplan: filter by workplan and by Party."""

    party = party_filter("workplan__cap_case__party")


class ActivityFilterSet(WorkplanPartFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    area = django_filters.MultipleChoiceFilter(choices=AreaOfConcern.choices, label=_("Area of concern"))
    status = django_filters.MultipleChoiceFilter(choices=ActivityStatus.choices, label=_("Status"))
    priority = django_filters.MultipleChoiceFilter(choices=Priority.choices, label=_("Priority"))
    responsible_entity = django_filters.MultipleChoiceFilter(
        choices=ResponsibleEntity.choices, label=_("Responsible entity")
    )

    class Meta:
        model = Activity
        fields = ["q", "workplan", "party", "area", "status", "priority", "responsible_entity"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(code__iexact=value))


class MilestoneFilterSet(WorkplanPartFilterSet):
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    due_before = django_filters.DateFilter(
        field_name="due_on", lookup_expr="lte", label=_("Due on or before")
    )

    class Meta:
        model = Milestone
        fields = ["workplan", "party", "activity", "overdue", "due_before"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        overdue = Q(met_on__isnull=True, due_on__lt=today)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class IndicatorFilterSet(WorkplanPartFilterSet):
    class Meta:
        model = Indicator
        fields = ["workplan", "party", "activity", "counts_people"]


class IndicatorValueFilterSet(django_filters.FilterSet):
    party = party_filter("indicator__workplan__cap_case__party")
    workplan = django_filters.ModelChoiceFilter(
        field_name="indicator__workplan", queryset=Workplan.objects.all(), label=_("Workplan")
    )

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "workplan", "party"]


class ProgressUpdateFilterSet(django_filters.FilterSet):
    party = party_filter("activity__workplan__cap_case__party")
    workplan = django_filters.ModelChoiceFilter(
        field_name="activity__workplan", queryset=Workplan.objects.all(), label=_("Workplan")
    )
    review_status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices, label=_("Review"))

    class Meta:
        model = ProgressUpdate
        fields = ["activity", "workplan", "party", "review_status"]


class CaseRecordFilterSet(django_filters.FilterSet):
    party = party_filter("cap_case__party")


class EventFilterSet(CaseRecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    start_after = django_filters.DateFilter(
        field_name="start_on", lookup_expr="gte", label=_("Starting from")
    )
    start_before = django_filters.DateFilter(field_name="start_on", lookup_expr="lte", label=_("Starting by"))

    class Meta:
        model = Event
        fields = ["cap_case", "party", "activity", "kind", "is_online", "start_after", "start_before"]


class DeliverableFilterSet(CaseRecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=DeliverableKind.choices, label=_("Kind"))
    review_status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices, label=_("Review"))

    class Meta:
        model = Deliverable
        fields = ["cap_case", "party", "activity", "kind", "review_status"]


class CorrectiveActionFilterSet(WorkplanPartFilterSet):
    reason = django_filters.MultipleChoiceFilter(choices=ChangeReason.choices, label=_("Reason"))

    class Meta:
        model = CorrectiveAction
        fields = ["workplan", "party", "activity", "reason"]
