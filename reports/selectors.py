"""Reads the report needs from the other apps, as of the report's as-of date.

The cases, workplans and budgets apps grow while this one is written: every function here looks
the models up by name and checks the fields it uses, so a model or field that does not exist
(yet) gives an empty answer — the composers then say "no data recorded" — instead of an error.
Dated records (missions, events, deliverables, cases, recommendations) count when their date is on
or before the as-of date; statuses (activities, recommendations) are as recorded when composed,
and the version's snapshot freezes them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, Sum


def get_model(label: str):
    """The model ``app_label.ModelName``, or None while that slice does not exist."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def has_fields(model, *names: str) -> bool:
    if model is None:
        return False
    for name in names:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
    return True


def _choice_labels(model, field: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in model._meta.get_field(field).choices or []}


# --- Workplans -----------------------------------------------------------------------------------


def current_workplans(party_ids) -> dict[int, object]:
    """The workplan version in force per Party: the approved one, else the latest not superseded."""
    Workplan = get_model("workplans.Workplan")
    if not has_fields(Workplan, "cap_case", "status", "version", "title", "starts_on", "ends_on"):
        return {}
    rows = (
        Workplan.objects.filter(cap_case__party_id__in=party_ids)
        .exclude(status="superseded")
        .select_related("cap_case")
        .order_by("-version")
    )
    chosen: dict[int, object] = {}
    for workplan in rows:
        party_id = workplan.cap_case.party_id
        if party_id not in chosen or (
            workplan.status == "approved" and chosen[party_id].status != "approved"
        ):
            chosen[party_id] = workplan
    return chosen


def activities_by_status(party_ids) -> tuple[dict[int, dict[str, int]], dict[str, str]]:
    """Counts of the activities of each Party's current workplan by status, and the status labels."""
    Activity = get_model("workplans.Activity")
    if not has_fields(Activity, "workplan", "status"):
        return {}, {}
    workplans = current_workplans(party_ids)
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
    Activity = get_model("workplans.Activity")
    if workplan is None or not has_fields(Activity, "area"):
        return []
    labels = _choice_labels(Activity, "area")
    codes = (
        Activity.objects.filter(workplan=workplan).values_list("area", flat=True).distinct().order_by("area")
    )
    return [labels.get(code, code) for code in codes]


def late_activities(party_id, as_of: datetime.date) -> list:
    """Activities of the Party's current workplan that are delayed, or past their planned end and
    neither completed nor cancelled on the as-of date."""
    Activity = get_model("workplans.Activity")
    workplan = current_workplans([party_id]).get(party_id)
    if workplan is None or not has_fields(Activity, "status", "planned_end", "code", "title"):
        return []
    return list(
        Activity.objects.filter(workplan=workplan)
        .filter(Q(status="delayed") | Q(planned_end__lt=as_of) & ~Q(status__in=["completed", "cancelled"]))
        .order_by("planned_end", "code")
    )


def corrective_actions(party_id, as_of: datetime.date) -> list:
    CorrectiveAction = get_model("workplans.CorrectiveAction")
    if not has_fields(CorrectiveAction, "workplan", "agreed_on", "description"):
        return []
    return list(
        CorrectiveAction.objects.filter(workplan__cap_case__party_id=party_id, agreed_on__lte=as_of).order_by(
            "agreed_on", "pk"
        )
    )


def revised_workplans(party_ids) -> int:
    """How many Parties had their workplan revised (a version after the first)."""
    Workplan = get_model("workplans.Workplan")
    if not has_fields(Workplan, "version", "cap_case"):
        return 0
    return (
        Workplan.objects.filter(cap_case__party_id__in=party_ids, version__gt=1)
        .values("cap_case__party_id")
        .distinct()
        .count()
    )


# --- Events, missions, deliverables --------------------------------------------------------------


def events(party_ids, as_of: datetime.date) -> list:
    """Missions, workshops, trainings and meetings held on or before the as-of date."""
    Event = get_model("workplans.Event")
    if not has_fields(Event, "cap_case", "start_on", "title"):
        return []
    return list(
        Event.objects.filter(cap_case__party_id__in=party_ids, start_on__lte=as_of)
        .select_related("cap_case")
        .order_by("start_on", "pk")
    )


def missions(party_ids, as_of: datetime.date) -> list:
    """The Secretariat's technical missions that started on or before the as-of date."""
    TechnicalMission = get_model("cases.TechnicalMission")
    if not has_fields(TechnicalMission, "cap_case", "starts_on", "place"):
        return []
    return list(
        TechnicalMission.objects.filter(cap_case__party_id__in=party_ids, starts_on__lte=as_of)
        .select_related("cap_case")
        .order_by("starts_on", "pk")
    )


def participants_by_sex(party_ids, as_of: datetime.date) -> dict[int, dict[str, int]]:
    """Participants in events held by the as-of date, per Party: female, male, other."""
    Event = get_model("workplans.Event")
    if not has_fields(Event, "participants_female", "participants_male", "participants_other"):
        return {}
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
    Deliverable = get_model("workplans.Deliverable")
    if not has_fields(Deliverable, "cap_case", "delivered_on", "title"):
        return []
    return list(
        Deliverable.objects.filter(cap_case__party_id__in=party_ids, delivered_on__lte=as_of)
        .select_related("cap_case")
        .order_by("delivered_on", "title")
    )


# --- Compliance record ---------------------------------------------------------------------------


def open_compliance_cases(party_id, as_of: datetime.date) -> list:
    """The Party's compliance cases open on the as-of date (mechanism and species)."""
    ComplianceCase = get_model("cases.ComplianceCase")
    if not has_fields(ComplianceCase, "party", "mechanism", "opened_on", "closed_on"):
        return []
    return list(
        ComplianceCase.objects.filter(party_id=party_id, opened_on__lte=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .select_related("mechanism")
        .order_by("mechanism__name", "species")
    )


def recommendation_counts(party_ids, as_of: datetime.date) -> dict[int, dict[str, int]]:
    """Recommendations adopted by the as-of date, per Party and status."""
    Recommendation = get_model("cases.Recommendation")
    if not has_fields(Recommendation, "party", "status", "adopted_at"):
        return {}
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


def cap_cases(party_ids) -> dict[int, object]:
    CapCase = get_model("cases.CapCase")
    if not has_fields(CapCase, "party", "stage"):
        return {}
    return {case.party_id: case for case in CapCase.objects.filter(party_id__in=party_ids).order_by("pk")}


# --- Budgets -------------------------------------------------------------------------------------


def budget_figures(party_ids, as_of: datetime.date) -> dict | None:
    """Budget, funds received, expenditure and absorption per Party and per donor, or None when
    no funding is recorded for these Parties. Computed by the budgets module
    (``budgets.selectors.report_budget_figures``), the one place money is summed."""
    from budgets.selectors import report_budget_figures

    figures = report_budget_figures(party_ids, as_of)
    if not figures or not (figures.get("parties") or figures.get("donors")):
        return None
    return figures


def absorption_rate(spent: Decimal | None, received: Decimal | None) -> Decimal | None:
    """Expenditure as a percentage of the funds received, to one decimal; None without funds."""
    if spent is None or not received:
        return None
    return (Decimal(spent) * 100 / Decimal(received)).quantize(Decimal("0.1"))
