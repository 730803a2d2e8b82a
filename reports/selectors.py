"""Reads the report needs from the other apps, as of the report's as-of date.

The models are imported, not looked up by name: a renamed model or field fails loudly (and
``tests/reports/test_reports_selectors.py`` reads real data through every function) instead of
turning into a silent "no data recorded". Dated records (missions, events, deliverables, cases,
recommendations) count when their date is on or before the as-of date; the workplan is the version
in force on that date (``Workplan.objects.in_force``); statuses (activities, recommendations) are
as recorded when composed, and the version's snapshot freezes them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Q, Sum

from budgets.selectors import report_budget_figures
from cases.models import CapCase, ComplianceCase, Recommendation, TechnicalMission
from workplans.choices import ActivityStatus
from workplans.models import Activity, CorrectiveAction, Deliverable, Event, Workplan


def _choice_labels(model, field: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in model._meta.get_field(field).choices or []}


# --- Workplans -----------------------------------------------------------------------------------


def current_workplans(party_ids, as_of: datetime.date) -> dict[int, Workplan]:
    """Party id → the workplan version in force on the as-of date (``Workplan.objects.in_force``,
    the rule of the budget figures and the dashboard too); a Party with two CAP cases: its latest."""
    rows = (
        Workplan.objects.filter(cap_case__party_id__in=party_ids)
        .in_force(as_of)
        .select_related("cap_case")
        .order_by("cap_case_id")
    )
    return {workplan.cap_case.party_id: workplan for workplan in rows}


def activities_by_status(party_ids, as_of: datetime.date) -> tuple[dict[int, dict[str, int]], dict[str, str]]:
    """Counts of the activities of each Party's workplan in force by status, and the status labels."""
    workplans = current_workplans(party_ids, as_of)
    by_workplan = {wp.pk: party_id for party_id, wp in workplans.items()}
    counts: dict[int, dict[str, int]] = {party_id: {} for party_id in workplans}
    rows = (
        Activity.objects.filter(workplan_id__in=list(by_workplan))
        .values("workplan_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[by_workplan[row["workplan_id"]]][row["status"]] = row["n"]
    return counts, _choice_labels(Activity, "status")


def workplan_areas(workplan) -> list[str]:
    """The areas of concern the workplan's activities address, as labels, in a stable order."""
    if workplan is None:
        return []
    labels = _choice_labels(Activity, "area")
    codes = (
        Activity.objects.filter(workplan=workplan).values_list("area", flat=True).distinct().order_by("area")
    )
    return [labels.get(code, code) for code in codes]


def late_activities(party_id, as_of: datetime.date) -> list:
    """Activities of the Party's workplan in force that are delayed, or past their planned end and
    neither completed nor cancelled on the as-of date."""
    workplan = current_workplans([party_id], as_of).get(party_id)
    if workplan is None:
        return []
    finished = [ActivityStatus.COMPLETED, ActivityStatus.CANCELLED]
    return list(
        Activity.objects.filter(workplan=workplan)
        .filter(Q(status=ActivityStatus.DELAYED) | Q(planned_end__lt=as_of) & ~Q(status__in=finished))
        .order_by("planned_end", "code")
    )


def corrective_actions(party_id, as_of: datetime.date) -> list:
    return list(
        CorrectiveAction.objects.filter(workplan__cap_case__party_id=party_id, agreed_on__lte=as_of).order_by(
            "agreed_on", "pk"
        )
    )


def revised_workplans(party_ids) -> int:
    """How many Parties had their workplan revised (a version after the first)."""
    return (
        Workplan.objects.filter(cap_case__party_id__in=party_ids, version__gt=1)
        .values("cap_case__party_id")
        .distinct()
        .count()
    )


# --- Events, missions, deliverables --------------------------------------------------------------


def events(party_ids, as_of: datetime.date) -> list:
    """Missions, workshops, trainings and meetings held on or before the as-of date."""
    return list(
        Event.objects.filter(cap_case__party_id__in=party_ids, start_on__lte=as_of)
        .select_related("cap_case")
        .order_by("start_on", "pk")
    )


def missions(party_ids, as_of: datetime.date) -> list:
    """The Secretariat's technical missions that started on or before the as-of date."""
    return list(
        TechnicalMission.objects.filter(cap_case__party_id__in=party_ids, starts_on__lte=as_of)
        .select_related("cap_case")
        .order_by("starts_on", "pk")
    )


def participants_by_sex(party_ids, as_of: datetime.date) -> dict[int, dict[str, int]]:
    """Participants in events held by the as-of date, per Party: female, male, other."""
    rows = (
        Event.objects.filter(cap_case__party_id__in=party_ids, start_on__lte=as_of)
        .values("cap_case__party_id")
        .annotate(
            female=Sum("participants_female"), male=Sum("participants_male"), other=Sum("participants_other")
        )
        .order_by()
    )
    return {
        row["cap_case__party_id"]: {
            "female": row["female"] or 0,
            "male": row["male"] or 0,
            "other": row["other"] or 0,
        }
        for row in rows
    }


def deliverables(party_ids, as_of: datetime.date) -> list:
    """Deliverables delivered on or before the as-of date."""
    return list(
        Deliverable.objects.filter(cap_case__party_id__in=party_ids, delivered_on__lte=as_of)
        .select_related("cap_case")
        .order_by("delivered_on", "title")
    )


# --- Compliance record ---------------------------------------------------------------------------


def open_compliance_cases(party_id, as_of: datetime.date) -> list:
    """The Party's compliance cases open on the as-of date (mechanism and species)."""
    return list(
        ComplianceCase.objects.filter(party_id=party_id, opened_on__lte=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .select_related("mechanism")
        .order_by("mechanism__name", "species")
    )


def recommendation_counts(party_ids, as_of: datetime.date) -> dict[int, dict[str, int]]:
    """Recommendations adopted by the as-of date, per Party and status."""
    rows = (
        Recommendation.objects.filter(party_id__in=party_ids, adopted_at__starts_on__lte=as_of)
        .values("party_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        result[row["party_id"]][row["status"]] = row["n"]
    return dict(result)


def cap_cases(party_ids) -> dict[int, CapCase]:
    return {case.party_id: case for case in CapCase.objects.filter(party_id__in=party_ids).order_by("pk")}


# --- Budgets -------------------------------------------------------------------------------------


def budget_figures(party_ids, as_of: datetime.date) -> dict | None:
    """Budget, funds received, expenditure and absorption per Party and per donor, or None when
    no funding is recorded for these Parties. Computed by the budgets module
    (``budgets.selectors.report_budget_figures``), the one place money is summed, with
    ``programme`` the figures of all these Parties and ``absorption`` by ``absorption_rate``."""
    figures = report_budget_figures(party_ids, as_of)
    if not figures or not (figures.get("parties") or figures.get("donors")):
        return None
    return figures
