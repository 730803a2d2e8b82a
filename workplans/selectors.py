"""Reads of the workplans app that span relations: coverage of recommendations, comparison of two
versions, the timeline, and the "my work" lists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES, MA_ROLES, SA_ROLES, Action, holds_role, party_ids_held
from cases.models import Recommendation

from .choices import ReviewStatus, WorkplanStatus
from .models import Activity, Deliverable, Milestone, ProgressUpdate, Workplan
from .reporting import activities_due_an_update, focal_point_activities


def workplan_coverage(workplan: Workplan) -> dict:
    """Which pending (open or in progress) recommendations of the Party the version's activities
    address, and which no activity addresses."""
    pending = list(
        Recommendation.objects.filter(party_id=workplan.cap_case.party_id)
        .pending()
        .order_by("deadline", "pk")
    )
    addressed_ids = set(
        Activity.objects.filter(workplan=workplan, recommendations__isnull=False).values_list(
            "recommendations", flat=True
        )
    )
    return {
        "pending": pending,
        "addressed": [r for r in pending if r.pk in addressed_ids],
        "unaddressed": [r for r in pending if r.pk not in addressed_ids],
    }


# --- Comparison of two versions -------------------------------------------------------------------

WORKPLAN_FIELDS = ("title", "starts_on", "ends_on", "objective", "needs_and_gaps", "stakeholders")
ACTIVITY_FIELDS = (
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
)
MILESTONE_FIELDS = ("activity", "due_on", "met_on")
INDICATOR_FIELDS = ("unit", "baseline", "target", "counts_people")


def _display(obj, name: str) -> str:
    model_field = obj._meta.get_field(name)
    if model_field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    value = getattr(obj, name)
    if name == "activity":
        return value.code if value else ""
    if name == "recommendations":
        return ", ".join(sorted(r.reference for r in value.all()))
    return "" if value is None else str(value)


def _field_changes(old, new, names) -> list[dict]:
    changes = []
    for name in names:
        before, after = _display(old, name), _display(new, name)
        if before != after:
            label = str(old._meta.get_field(name).verbose_name)
            changes.append({"field": name, "label": label, "old": before, "new": after})
    return changes


def _compare_rows(old_rows: dict, new_rows: dict, names) -> dict:
    return {
        "added": [new_rows[k] for k in new_rows if k not in old_rows],
        "removed": [old_rows[k] for k in old_rows if k not in new_rows],
        "changed": [
            {"key": k, "old": old_rows[k], "new": new_rows[k], "changes": changes}
            for k in new_rows
            if k in old_rows and (changes := _field_changes(old_rows[k], new_rows[k], names))
        ],
    }


def workplan_compare(old: Workplan, new: Workplan) -> dict:
    """The differences between two versions: the plan's fields, and activities (matched by code),
    milestones (by title) and indicators (by name) added, removed or changed, field by field."""
    activity_fields = (*ACTIVITY_FIELDS, "recommendations")

    def activities(workplan):
        return {a.code: a for a in workplan.activities.prefetch_related("recommendations")}

    return {
        "old": old,
        "new": new,
        "fields": _field_changes(old, new, WORKPLAN_FIELDS),
        "activities": _compare_rows(activities(old), activities(new), activity_fields),
        "milestones": _compare_rows(
            {m.title: m for m in old.milestones.select_related("activity")},
            {m.title: m for m in new.milestones.select_related("activity")},
            MILESTONE_FIELDS,
        ),
        "indicators": _compare_rows(
            {i.name: i for i in old.indicators.all()},
            {i.name: i for i in new.indicators.all()},
            INDICATOR_FIELDS,
        ),
        "budget": budget_compare(old, new),
    }


# What a budget line's comparison shows: the fields that make its amount and where it comes from.
BUDGET_LINE_FIELDS = ("category", "unit", "units", "rate", "amount", "funding_source")


def _budget_lines(workplan: Workplan) -> dict:
    """A version's budget lines by key — (activity code, description, year), numbered when the
    same key repeats — the key a revision keeps for a line it carries forward."""
    from budgets.models import BudgetLine  # the budgets app imports this one's models

    lines: dict = {}
    seen: dict[tuple, int] = {}
    queryset = BudgetLine.objects.filter(workplan=workplan).select_related("activity", "funding_source")
    for line in queryset.order_by("year", "pk"):
        base = (line.activity.code if line.activity_id else "", line.description, line.year)
        seen[base] = seen.get(base, -1) + 1
        lines[(*base, seen[base])] = line
    return lines


def _budget_display(line, name: str) -> str:
    if name == "amount":
        return str(line.amount)
    if name == "category":
        return str(line.get_category_display())
    if name == "funding_source":
        return str(line.funding_source)
    return str(getattr(line, name))


def budget_compare(old: Workplan, new: Workplan) -> dict:
    """The budget lines added, removed or changed (category, unit, units, rate, amount, funding
    source) from ``old`` to ``new``, line by line, with each version's total (USD, the lines'
    amounts: ``BudgetLine.amount``). Lines are matched by activity code, description and year."""
    from budgets.models import ZERO, BudgetLine

    old_lines, new_lines = _budget_lines(old), _budget_lines(new)
    changed = []
    for key, line in new_lines.items():
        if key not in old_lines:
            continue
        before = old_lines[key]
        changes = [
            {
                "field": name,
                "label": str(
                    _("amount") if name == "amount" else BudgetLine._meta.get_field(name).verbose_name
                ),
                "old": _budget_display(before, name),
                "new": _budget_display(line, name),
            }
            for name in BUDGET_LINE_FIELDS
            if _budget_display(before, name) != _budget_display(line, name)
        ]
        if changes:
            changed.append({"key": key, "old": before, "new": line, "changes": changes})
    old_total = sum((line.amount for line in old_lines.values()), ZERO)
    new_total = sum((line.amount for line in new_lines.values()), ZERO)
    return {
        "added": [line for key, line in new_lines.items() if key not in old_lines],
        "removed": [line for key, line in old_lines.items() if key not in new_lines],
        "changed": changed,
        "totals": {"old": old_total, "new": new_total, "difference": new_total - old_total},
    }


# --- Timeline -----------------------------------------------------------------------------------


@dataclass
class Bar:
    left: float
    width: float


@dataclass
class TimelineRow:
    activity: Activity
    planned: Bar
    actual: Bar | None
    milestones: list[tuple[float, Milestone]] = field(default_factory=list)


def workplan_timeline(workplan: Workplan, activities, milestones, today: datetime.date | None = None) -> dict:
    """Planned and actual bars per activity, milestones as marks and today's line, as percentages
    of the span from the earliest to the latest date of the plan."""
    today = today or timezone.localdate()
    dates = [workplan.starts_on, workplan.ends_on]
    for a in activities:
        dates += [d for d in (a.planned_start, a.planned_end, a.actual_start, a.actual_end) if d]
    dates += [m.due_on for m in milestones]
    start, end = min(dates), max(dates)
    span = max((end - start).days, 1)

    def pos(day):
        return round(100 * (day - start).days / span, 2)

    def bar(first, last):
        return Bar(pos(first), max(round(100 * ((last - first).days + 1) / span, 2), 0.5))

    by_activity: dict[int, list] = {}
    for m in milestones:
        by_activity.setdefault(m.activity_id, []).append((pos(m.due_on), m))
    rows = []
    for a in activities:
        actual = None
        if a.actual_start:
            actual = bar(a.actual_start, a.actual_end or max(min(today, end), a.actual_start))
        rows.append(TimelineRow(a, bar(a.planned_start, a.planned_end), actual, by_activity.get(a.pk, [])))
    return {
        "start": start,
        "end": end,
        "rows": rows,
        "loose_milestones": by_activity.get(None, []),
        "today": pos(today) if start <= today <= end else None,
    }


# --- My work --------------------------------------------------------------------------------------


def my_work(user, today: datetime.date | None = None) -> dict:
    """What waits for the user: for a focal point, updates due, overdue milestones, returned plans and
    updates; for a case manager, the submissions waiting for review."""
    today = today or timezone.localdate()
    work: dict = {}
    # Case managers review the submissions (the reviewers of the workflow tables).
    if holds_role(user, CASE_MANAGER_ROLES):
        work["workplans_to_review"] = (
            Workplan.objects.restrict(user, Action.VIEW).awaiting_review().for_table().order_by("updated")
        )
        work["updates_to_review"] = (
            ProgressUpdate.objects.restrict(user, Action.VIEW)
            .awaiting_review()
            .for_table()
            .order_by("created")
        )
        work["deliverables_to_review"] = (
            Deliverable.objects.restrict(user, Action.VIEW)
            .awaiting_review()
            .exclude(file="")
            .for_table()
            .order_by("created")
        )
    ma_parties = party_ids_held(user, MA_ROLES)
    sa_parties = party_ids_held(user, SA_ROLES)
    if ma_parties or sa_parties:
        # The one due rule (``workplans.reporting``), as on the home page and in the reminders.
        work["updates_due"] = activities_due_an_update(
            Activity.objects.filter(focal_point_activities(user)), today
        ).select_related("workplan__cap_case__party")
        party_ids = ma_parties | sa_parties
        work["milestones_overdue"] = (
            Milestone.objects.overdue(today)
            .filter(workplan__cap_case__party_id__in=party_ids, workplan__status=WorkplanStatus.APPROVED)
            .for_table()
        )
        work["workplans_returned"] = Workplan.objects.filter(
            cap_case__party_id__in=ma_parties, status=WorkplanStatus.RETURNED
        ).for_table()
        work["updates_returned"] = ProgressUpdate.objects.filter(
            submitted_by=user, review_status=ReviewStatus.RETURNED
        ).for_table()
    return work
