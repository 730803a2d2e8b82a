"""Reads the report needs from the other apps, frozen as of the report's as-of date.

The models are imported, not looked up by name: a renamed model or field fails loudly (and
``tests/reports/test_reports_selectors.py`` reads real data through every function) instead of
turning into a silent "no data recorded".

Frozen figures (issue 13, Deliver 5): a report's composers receive its as-of date as a
:class:`ReportDate`, which also carries ``recorded_by``, the moment the data is taken as recorded
in the portal: the end of the as-of date, or the moment the report was created when that is later
(data recorded late, such as the sample portfolio, counts; nothing recorded after it does).
Every selector then reads the records that existed at that moment, with the field values
(statuses, reviews, participants) they had then, from the audit history
(django-simple-history), and keeps the dated records (missions, events, deliverables, cases,
recommendations) whose date is on or before the as-of date; the workplan is the version in force
on that date (``Workplan.objects.in_force``). Called with a plain date, a selector reads the data
as it stands (the pages, the tests of the selectors). Composing the same report twice therefore
gives the same figures, whatever was recorded since.

Only reviewed material (issue 19, Deliver 1): deliverables and results count once accepted on or
before the as-of date; what still waits for review is listed by :func:`pending_material` for the
case manager, never in the document.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connections
from django.db.models import F, Q
from django.utils import timezone

from budgets.models import NoCostExtension
from budgets.selectors import report_budget_figures
from cases.choices import PENDING_RECOMMENDATION_STATUSES
from cases.models import CapCase, ComplianceCase, ProgressRating, Recommendation, TechnicalMission
from cases.selectors import accepted_results as cases_accepted_results
from workplans.choices import FINISHED_ACTIVITY_STATUSES, ActivityStatus, ReviewStatus, WorkplanAction
from workplans.models import (
    Activity,
    CorrectiveAction,
    Deliverable,
    Event,
    ProgressUpdate,
    Workplan,
    WorkplanStep,
)


def _choice_labels(model, field: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in model._meta.get_field(field).choices or []}


# --- The moment the data is taken ---------------------------------------------------------------


class ReportDate(datetime.date):
    """A report's as-of date that also names the moment its data is taken as recorded
    (``recorded_by``, an aware datetime). It is a date everywhere else (formats, lookups); a date
    derived from it (``as_of - timedelta(days=365)``, ``replace``) keeps the same moment."""

    recorded_by: datetime.datetime | None

    def __new__(cls, *args, recorded_by: datetime.datetime | None = None):
        if len(args) == 1 and isinstance(args[0], datetime.date):
            args = (args[0].year, args[0].month, args[0].day)
        self = super().__new__(cls, *args)
        self.recorded_by = recorded_by
        return self

    def _keep(self, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return ReportDate(value.year, value.month, value.day, recorded_by=self.recorded_by)
        return value

    def __add__(self, other):
        return self._keep(super().__add__(other))

    __radd__ = __add__

    def __sub__(self, other):
        return self._keep(super().__sub__(other))

    def replace(self, *args, **kwargs):
        return self._keep(datetime.date(self.year, self.month, self.day).replace(*args, **kwargs))

    def __reduce__(self):
        return (_report_date, (self.year, self.month, self.day, self.recorded_by))


def _report_date(year, month, day, recorded_by):
    return ReportDate(year, month, day, recorded_by=recorded_by)


def report_as_of(report, as_of: datetime.date | None = None) -> ReportDate:
    """The as-of date of a report with the moment its data is taken: the end of the as-of date,
    or the report's creation when that is later."""
    day = as_of or report.as_of
    end_of_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    created = getattr(report, "created", None)
    return ReportDate(day, recorded_by=max(end_of_day, created) if created else end_of_day)


def report_parties(report) -> list:
    """The report's Parties in the order of its language (``Party.objects.order_by_localized_name``,
    the portal's one order of Parties): its Party sections, the Parties on its cover and the rows
    of its annex tables follow it. A French report puts "Égypte" after "Allemagne", an English
    one "Chad" before "Egypt"."""
    return list(report.parties.order_by_localized_name(report.language))


def _day(as_of) -> datetime.date:
    """A plain date (for the database and for the other apps' selectors)."""
    return datetime.date(as_of.year, as_of.month, as_of.day)


def _moment(as_of) -> datetime.datetime | None:
    return getattr(as_of, "recorded_by", None)


def _existing(queryset, as_of):
    """Without the records created after the moment the data is taken. A record with no history
    at all (written in bulk, as the synthetic benchmark portfolio is) counts as recorded before."""
    moment = _moment(as_of)
    if moment is None:
        return queryset
    return queryset.exclude(pk__in=_created_after(queryset.model, moment))


def _created_after(model, moment):
    return model.history.filter(history_type="+", history_date__gt=moment).values("id")


def _as_recorded(queryset, as_of) -> list:
    """The records of the queryset that existed at the moment the data is taken, each with the
    field values it had then (its latest historical record up to that moment)."""
    moment = _moment(as_of)
    rows = list(_existing(queryset, as_of))
    if moment is None or not rows:
        return rows
    model = queryset.model
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    records = model.history.filter(id__in=[row.pk for row in rows], history_date__lte=moment)
    # The latest record of each row up to the moment (by date, then history id), as plain values:
    # on PostgreSQL one per row (DISTINCT ON); elsewhere all of them, the last one winning.
    if connections[records.db].features.can_distinct_on_fields:
        records = records.order_by("id", "-history_date", "-history_id").distinct("id")
    else:
        records = records.order_by("history_date", "history_id")
    then = {values[0]: values[1:] for values in records.values_list("id", *names)}
    for row in rows:
        values = then.get(row.pk)
        if values is not None:
            for name, value in zip(names, values, strict=True):
                setattr(row, name, value)
    return rows


# --- Workplans -----------------------------------------------------------------------------------


def current_workplans(party_ids, as_of: datetime.date) -> dict[int, Workplan]:
    """Party id → the workplan version in force on the as-of date (``Workplan.objects.in_force``,
    the rule of the budget figures and the dashboard too); a Party with two CAP cases: its latest."""
    rows = _as_recorded(
        Workplan.objects.filter(cap_case__party_id__in=party_ids)
        .in_force(_day(as_of))
        .select_related("cap_case")
        .order_by("cap_case_id"),
        as_of,
    )
    return {workplan.cap_case.party_id: workplan for workplan in rows}


def _activities(workplan_ids, as_of) -> list:
    return _as_recorded(
        Activity.objects.filter(workplan_id__in=list(workplan_ids)).order_by("code", "pk"), as_of
    )


def activities_in_force(party_ids, as_of: datetime.date) -> list:
    """The activities of each Party's workplan in force on the as-of date, as recorded then, each
    with its workplan's Party (``party_id``)."""
    by_workplan = {wp.pk: party_id for party_id, wp in current_workplans(party_ids, as_of).items()}
    rows = _activities(by_workplan, as_of)
    for row in rows:
        row.party_id = by_workplan[row.workplan_id]
    return rows


def activities_by_status(
    party_ids, as_of: datetime.date, workplans: dict | None = None, activities: list | None = None
) -> tuple[dict[int, dict[str, int]], dict[str, str]]:
    """Counts of the activities of each Party's workplan in force by status (the status each had
    at the moment the data is taken), and the status labels. ``workplans`` and ``activities``:
    those of :func:`current_workplans` and :func:`activities_in_force`, when the caller has read
    them already."""
    if workplans is None:
        workplans = current_workplans(party_ids, as_of)
    by_workplan = {wp.pk: party_id for party_id, wp in workplans.items()}
    if activities is None:
        activities = _activities(by_workplan, as_of)
    counts: dict[int, dict[str, int]] = {party_id: {} for party_id in workplans}
    for activity in activities:
        row = counts[by_workplan[activity.workplan_id]]
        row[activity.status] = row.get(activity.status, 0) + 1
    return counts, _choice_labels(Activity, "status")


def workplan_areas(workplan, as_of: datetime.date | None = None, activities: list | None = None) -> list[str]:
    """The areas of concern the workplan's activities address, as labels, in a stable order.
    ``activities``: those of :func:`activities_in_force`, when the caller has read them already
    (only the workplan's own are used)."""
    if workplan is None:
        return []
    labels = _choice_labels(Activity, "area")
    if activities is not None:
        activities = [activity for activity in activities if activity.workplan_id == workplan.pk]
    elif as_of:
        activities = _activities([workplan.pk], as_of)
    else:
        activities = Activity.objects.filter(workplan=workplan)
    return [labels.get(code, code) for code in sorted({activity.area for activity in activities})]


def late_activities(party_ids, as_of: datetime.date, activities: list | None = None) -> dict[int, list]:
    """Party id → the activities of its workplan in force that are delayed, or past their planned
    end and neither completed nor cancelled on the as-of date. ``activities``: those of
    :func:`activities_in_force`, when the caller has read them already."""
    if activities is None:
        activities = activities_in_force(party_ids, as_of)
    day = _day(as_of)
    late: dict[int, list] = {party_id: [] for party_id in party_ids}
    for a in activities:
        if a.status == ActivityStatus.DELAYED or (
            a.planned_end < day and a.status not in FINISHED_ACTIVITY_STATUSES
        ):
            late.setdefault(a.party_id, []).append(a)
    return {party_id: sorted(rows, key=lambda a: (a.planned_end, a.code)) for party_id, rows in late.items()}


def corrective_actions(party_ids, as_of: datetime.date) -> dict[int, list]:
    """Party id → the corrective actions agreed on its workplans by the as-of date."""
    rows = _existing(
        CorrectiveAction.objects.filter(
            workplan__cap_case__party_id__in=list(party_ids), agreed_on__lte=_day(as_of)
        ).select_related("workplan__cap_case"),
        as_of,
    ).order_by("agreed_on", "pk")
    by_party: dict[int, list] = {party_id: [] for party_id in party_ids}
    for action in rows:
        by_party.setdefault(action.workplan.cap_case.party_id, []).append(action)
    return by_party


def revised_workplans(party_ids, as_of: datetime.date | None = None) -> int:
    """How many Parties had their workplan revised (a version after the first) by the as-of date:
    the revision's step dated on or before it (a version with no step recorded, entered before
    the steps were kept, counts on any date, as in ``in_force``), and recorded by the moment the
    data is taken."""
    rows = Workplan.objects.filter(cap_case__party_id__in=party_ids, version__gt=1)
    if as_of is not None:
        day = _day(as_of)
        revise = WorkplanStep.objects.filter(action=WorkplanAction.REVISE)
        rows = _existing(rows, as_of).filter(
            Q(pk__in=revise.filter(taken_at__date__lte=day).values("workplan_id"))
            | ~Q(pk__in=revise.values("workplan_id"))
        )
    return rows.values("cap_case__party_id").distinct().count()


# --- Events, missions, deliverables --------------------------------------------------------------


def events(party_ids, as_of: datetime.date) -> list:
    """Missions, workshops, trainings and meetings held on or before the as-of date."""
    return _as_recorded(
        Event.objects.filter(cap_case__party_id__in=party_ids, start_on__lte=_day(as_of))
        .prefetch_related("cap_case")  # one object per CAP case, not per event
        .order_by("start_on", "pk"),
        as_of,
    )


def missions(party_ids, as_of: datetime.date) -> list:
    """The Secretariat's technical missions that started on or before the as-of date."""
    return _as_recorded(
        TechnicalMission.objects.filter(cap_case__party_id__in=party_ids, starts_on__lte=_day(as_of))
        .select_related("cap_case")
        .order_by("starts_on", "pk"),
        as_of,
    )


def participants_by_sex(
    party_ids, as_of: datetime.date, rows: list | None = None
) -> dict[int, dict[str, int]]:
    """Participants in events held by the as-of date, per Party: female, male, other. ``rows``:
    those of :func:`events`, when the caller has read them already."""
    result: dict[int, dict[str, int]] = {}
    for event in events(party_ids, as_of) if rows is None else rows:
        row = result.setdefault(event.cap_case.party_id, {"female": 0, "male": 0, "other": 0})
        row["female"] += event.participants_female or 0
        row["male"] += event.participants_male or 0
        row["other"] += event.participants_other or 0
    return result


def _accepted_by(record, day: datetime.date) -> bool:
    """Accepted, and on or before ``day`` (an acceptance with no date recorded counts)."""
    if record.review_status != ReviewStatus.ACCEPTED:
        return False
    return record.reviewed_at is None or timezone.localdate(record.reviewed_at) <= day


def deliverables(party_ids, as_of: datetime.date) -> list:
    """Deliverables delivered on or before the as-of date and accepted by the Secretariat on or
    before it: one awaiting review, returned or accepted later is not in the report."""
    day = _day(as_of)
    rows = _as_recorded(
        Deliverable.objects.filter(cap_case__party_id__in=party_ids, delivered_on__lte=day)
        .select_related("cap_case", "activity")
        .order_by("delivered_on", "title"),
        as_of,
    )
    return [row for row in rows if _accepted_by(row, day)]


def results(party_ids, as_of: datetime.date) -> list:
    """The results accepted on or before the as-of date (``cases.selectors.accepted_results``),
    recorded by the moment the data is taken."""
    rows = cases_accepted_results(list(party_ids), _day(as_of))
    moment = _moment(as_of)
    if moment is None or not rows:
        return rows
    later = set(
        _created_after(type(rows[0]), moment).filter(id__in=[r.pk for r in rows]).values_list("id", flat=True)
    )
    return [row for row in rows if row.pk not in later]


def _accepted_progress_updates(party_ids, as_of: datetime.date):
    """The progress updates of the Parties' activities accepted on or before the as-of date,
    oldest first, annotated with their Party (``updated_party_id``)."""
    return (
        ProgressUpdate.objects.filter(
            activity__workplan__cap_case__party_id__in=list(party_ids), review_status=ReviewStatus.ACCEPTED
        )
        .filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__date__lte=_day(as_of)))
        .annotate(updated_party_id=F("activity__workplan__cap_case__party_id"))
        .select_related("activity")
        .order_by("reviewed_at", "period_end", "pk")
    )


def accepted_progress_updates(party_id, as_of: datetime.date, since: datetime.date | None = None) -> list:
    """The progress narratives of the Party's activities accepted after ``since`` (the previous
    report's as-of date) and on or before the as-of date, oldest first: what the case manager may
    insert into the Party's section."""
    rows = _accepted_progress_updates([party_id], as_of)
    if since is not None:
        rows = rows.filter(reviewed_at__date__gt=since)
    return list(rows)


def accepted_progress_updates_by_party(party_ids, as_of: datetime.date) -> dict[int, list]:
    """Party id → :func:`accepted_progress_updates` of the Party (no ``since``), for all the
    Parties in one read."""
    by_party: dict[int, list] = {party_id: [] for party_id in party_ids}
    for row in _accepted_progress_updates(party_ids, as_of):
        by_party.setdefault(row.updated_party_id, []).append(row)
    return by_party


def pending_material(party_ids, as_of: datetime.date) -> dict[str, list]:
    """What the report leaves out because the Secretariat has not accepted it (yet) on the as-of
    date: deliverables and progress updates awaiting review or returned, and those accepted after
    the as-of date; shown to the case manager while preparing the report."""
    day = _day(as_of)
    not_accepted = ~Q(review_status=ReviewStatus.ACCEPTED) | Q(reviewed_at__date__gt=day)
    pending_deliverables = (
        Deliverable.objects.filter(cap_case__party_id__in=party_ids)
        .filter(Q(delivered_on__isnull=True) | Q(delivered_on__lte=day))
        .filter(not_accepted)
        .select_related("cap_case__party")
        .order_by("cap_case__party__name", "delivered_on", "title")
    )
    pending_updates = (
        ProgressUpdate.objects.filter(
            activity__workplan__cap_case__party_id__in=party_ids, period_start__lte=day
        )
        .filter(not_accepted)
        .select_related("activity__workplan__cap_case__party")
        .order_by("activity__workplan__cap_case__party__name", "activity__code", "period_end")
    )
    return {"deliverables": list(pending_deliverables), "progress_updates": list(pending_updates)}


# --- Compliance record ---------------------------------------------------------------------------


def open_compliance_cases(party_ids, as_of: datetime.date) -> dict[int, list]:
    """Party id → its compliance cases open on the as-of date (mechanism and species)."""
    day = _day(as_of)
    rows = _as_recorded(
        ComplianceCase.objects.filter(party_id__in=list(party_ids), opened_on__lte=day)
        .select_related("mechanism")
        .order_by("mechanism__name", "species"),
        as_of,
    )
    by_party: dict[int, list] = {party_id: [] for party_id in party_ids}
    for case in rows:
        if case.closed_on is None or case.closed_on > day:
            by_party.setdefault(case.party_id, []).append(case)
    return by_party


def recommendations(party_ids, as_of: datetime.date) -> list:
    """Recommendations adopted by the as-of date, with the status each had at the moment the data
    is taken and the meeting that adopted it."""
    return _as_recorded(
        Recommendation.objects.filter(party_id__in=party_ids, adopted_at__starts_on__lte=_day(as_of))
        # Prefetched, not joined: thousands of recommendations share a few dozen meetings, one
        # object each rather than one per row.
        .prefetch_related("adopted_at")
        .order_by("adopted_at__starts_on", "reference", "pk"),
        as_of,
    )


def recommendation_counts(
    party_ids, as_of: datetime.date, rows: list | None = None
) -> dict[int, dict[str, int]]:
    """Recommendations adopted by the as-of date, per Party and status. ``rows``: those of
    :func:`recommendations`, when the caller has read them already."""
    result: dict[int, dict[str, int]] = defaultdict(dict)
    for row in recommendations(party_ids, as_of) if rows is None else rows:
        result[row.party_id][row.status] = result[row.party_id].get(row.status, 0) + 1
    return dict(result)


def progress_ratings(party_id, as_of: datetime.date) -> list:
    """The Standing Committee's ratings of the Party's cases at its latest meeting held on or
    before the as-of date that rated any (the outcome of the previous meeting)."""
    return progress_ratings_by_party([party_id], as_of).get(party_id, [])


def progress_ratings_by_party(party_ids, as_of: datetime.date) -> dict[int, list]:
    """Party id → :func:`progress_ratings` of the Party, for all the Parties in one read."""
    rows = _as_recorded(
        ProgressRating.objects.filter(
            compliance_case__party_id__in=list(party_ids), meeting__starts_on__lte=_day(as_of)
        )
        .annotate(rated_party_id=F("compliance_case__party_id"))
        .select_related("meeting", "compliance_case__mechanism", "compliance_case__party")
        .order_by("-meeting__starts_on", "compliance_case__mechanism__name", "pk"),
        as_of,
    )
    by_party: dict[int, list] = defaultdict(list)
    for row in rows:  # each Party's rows in the order above
        by_party[row.rated_party_id].append(row)
    return {
        party_id: [row for row in ratings if row.meeting_id == ratings[0].meeting_id]
        for party_id, ratings in by_party.items()
    }


def cap_cases(party_ids) -> dict[int, CapCase]:
    return {case.party_id: case for case in CapCase.objects.filter(party_id__in=party_ids).order_by("pk")}


# --- What changed since the previous report -----------------------------------------------------


def previous_report(report):
    """The report before this one: the latest with an earlier meeting (any status)."""
    from .models import Report

    return (
        Report.objects.filter(meeting_start__lt=report.meeting_start)
        .exclude(pk=report.pk)
        .order_by("-meeting_start", "-pk")
        .first()
    )


def previous_report_sections(report) -> dict:
    """(kind, Party id or None) → the section of the previous report, to carry forward from."""
    previous = previous_report(report)
    if previous is None:
        return {}
    return {(s.kind, s.party_id): s for s in previous.sections.select_related("report")}


def changes_since(party, as_of: datetime.date, since: datetime.date | None) -> dict[str, list]:
    """The facts of a Party recorded after ``since`` (the previous report's as-of date) and on or
    before the as-of date: missions and events held, results accepted, progress ratings,
    no-cost extensions granted, recommendations closed. Shown beside the Party's section."""
    day = _day(as_of)

    def after(value) -> bool:
        return value is not None and (since is None or value > since) and value <= day

    ratings = list(
        ProgressRating.objects.filter(compliance_case__party=party, meeting__starts_on__lte=day)
        .select_related("meeting", "compliance_case__mechanism")
        .order_by("meeting__starts_on", "pk")
    )
    closed = []
    for recommendation in Recommendation.objects.filter(party=party).select_related("adopted_at"):
        if recommendation.status in PENDING_RECOMMENDATION_STATUSES:
            continue
        first = (
            recommendation.history.filter(status=recommendation.status)
            .order_by("history_date", "history_id")
            .values_list("history_date", flat=True)
            .first()
        )
        if first is not None and after(timezone.localdate(first)):
            recommendation.closed_on = timezone.localdate(first)
            closed.append(recommendation)
    return {
        "missions": [m for m in missions([party.pk], day) if after(m.starts_on)],
        "events": [e for e in events([party.pk], day) if after(e.start_on)],
        "results": [r for r in cases_accepted_results([party.pk], day) if after(r.achieved_on)],
        "ratings": [r for r in ratings if after(r.meeting.starts_on)],
        "extensions": list(
            NoCostExtension.objects.filter(instrument__cap_case__party=party, granted_on__lte=day)
            .filter(Q() if since is None else Q(granted_on__gt=since))
            .order_by("granted_on", "pk")
        ),
        "recommendations_closed": sorted(closed, key=lambda r: r.closed_on),
    }


# --- Budgets -------------------------------------------------------------------------------------


def budget_figures(party_ids, as_of: datetime.date) -> dict | None:
    """Budget, funds received, expenditure and absorption per Party and per donor, or None when
    no funding is recorded for these Parties. Computed by the budgets module
    (``budgets.selectors.report_budget_figures``), the one place money is summed, with
    ``programme`` the figures of all these Parties and ``absorption`` by ``absorption_rate``."""
    figures = report_budget_figures(party_ids, _day(as_of), recorded_by=_moment(as_of))
    if not figures or not (figures.get("parties") or figures.get("donors")):
        return None
    return figures
