"""The reporting timeline of a workplan (issue 18.5): the window in which progress and indicator
values are reported, and when an activity is due a progress update. One rule, used by the
validation of a reporting period (``workplans.models``), the attention list and the to-do lists
(``portfolio.attention``, ``portfolio.todo``), the "my work" page and the reminders
(``portfolio.reminders``).

A workplan is reported on from its start to the later of its own end and the current end date of
its CAP case's funding agreements (no-cost extensions included): a Party whose agreement was
extended keeps reporting after the plan's planned end, and nobody is asked for a period they may
not report on.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest

from cap_portal.access import MA_ROLES, SA_ROLES, party_ids_held

from .choices import FINISHED_ACTIVITY_STATUSES, SA_REPORTED_ENTITIES, ReviewStatus, WorkplanStatus
from .models import ProgressUpdate, Workplan

# An activity under way with no progress reported for this long is due an update.
UPDATE_INTERVAL = datetime.timedelta(days=90)


def reporting_end(workplan_path: str = ""):
    """The last day of the reporting window, as an expression on rows reaching their workplan
    through ``workplan_path`` ("" for workplans, "workplan__" for activities): the later of the
    workplan's end and the latest current end date of its CAP case's legal instruments."""
    from budgets.models import LegalInstrument  # budgets' models import this app's

    latest_agreement_end = (
        LegalInstrument.objects.filter(cap_case=OuterRef(f"{workplan_path}cap_case"))
        .with_current_end()
        .order_by("-current_end")
        .values("current_end")[:1]
    )
    ends_on = F(f"{workplan_path}ends_on")
    # COALESCE: a CAP case without an agreement reports to the plan's end (GREATEST of a NULL is
    # NULL on SQLite).
    return Greatest(ends_on, Coalesce(Subquery(latest_agreement_end), ends_on))


def reporting_window(workplan: Workplan) -> tuple[datetime.date, datetime.date]:
    """The first and last day a period reported on the workplan's activities may cover."""
    end = (
        Workplan.objects.filter(pk=workplan.pk)
        .annotate(reporting_end=reporting_end())
        .values_list("reporting_end", flat=True)
        .first()
    )
    return workplan.starts_on, end or workplan.ends_on


def focal_point_activities(user, path: str = "") -> Q:
    """The activities ``user`` reports progress on as a focal point (rows reaching the activity
    through ``path``): every activity of a Party where they are the MA focal point, those assigned
    to the SA or enforcement where they are the SA focal point (``services.may_report_progress``)."""
    party = f"{path}workplan__cap_case__party_id__in"
    return Q(**{party: party_ids_held(user, MA_ROLES)}) | Q(
        **{party: party_ids_held(user, SA_ROLES), f"{path}responsible_entity__in": SA_REPORTED_ENTITIES}
    )


def activities_due_an_update(queryset, today: datetime.date):
    """Activities of approved plans, under way and not finished, with no progress reported (other
    than returned) for ``UPDATE_INTERVAL`` and a period left to report in their reporting window
    (its end after the last period reported, or after the planned start when none was):
    annotated with ``last_reported`` (the end of the latest period reported, None when none) and
    ``reporting_end``."""
    reported = ProgressUpdate.objects.filter(activity=OuterRef("pk")).exclude(
        review_status=ReviewStatus.RETURNED
    )
    return (
        queryset.filter(workplan__status=WorkplanStatus.APPROVED)
        .exclude(status__in=FINISHED_ACTIVITY_STATUSES)
        .exclude(planned_start__gt=today)
        .exclude(Exists(reported.filter(period_end__gte=today - UPDATE_INTERVAL)))
        .annotate(
            last_reported=Subquery(reported.order_by("-period_end").values("period_end")[:1]),
            reporting_end=reporting_end("workplan__"),
        )
        # A period is left to report: the window ends after the last period reported (after the
        # planned start when none was). The window ends no earlier than the plan's own end, so a
        # row whose plan ends after that day is in without the agreements' subquery (evaluated
        # left to right: the subquery runs only for the rows the plan's end does not settle).
        .filter(
            Q(workplan__ends_on__gt=Coalesce("last_reported", "planned_start"))
            | Q(reporting_end__gt=Coalesce("last_reported", "planned_start"))
        )
    )


def update_due_date(activity) -> datetime.date:
    """When the activity's next progress update is (or was) due: ``UPDATE_INTERVAL`` after the
    last period reported (or the planned start), or the end of the reporting window when that
    comes first. ``activity`` comes from :func:`activities_due_an_update`."""
    due = (activity.last_reported or activity.planned_start) + UPDATE_INTERVAL
    return min(due, activity.reporting_end) if activity.reporting_end else due
