"""What waits for each person (issue 18.4): the to-do list on their home page and its count in
the navigation.

A focal point's list: their Party's workplans returned for changes and their progress updates and
deliverables returned (each with the comment sent back), the progress updates due (the one due rule
of ``workplans.reporting``), deliverables without their document, and expenditure lines without a
supporting document. A case manager's: the workplans, progress updates and deliverables waiting for
their review (not the ones they submitted themselves: the four-eyes rule).

Each kind is one ordered queryset; the page reads the first few of each kind with their count in
one query per kind (as the attention list does), the navigation counts every kind in one query.
"""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from budgets.models import Expenditure
from cap_portal.access import CASE_MANAGER_ROLES, MA_ROLES, Action, holds_role, party_ids_held
from workplans.choices import ReviewStatus, WorkplanAction, WorkplanStatus
from workplans.models import Activity, Deliverable, ProgressUpdate, Workplan, WorkplanStep
from workplans.reporting import activities_due_an_update, focal_point_activities, update_due_date

from .attention import (
    ATTENTION_PREVIEW,
    Attention,
    AttentionGroup,
    AttentionItem,
    Kind,
    Scope,
    count_rows,
    read_items,
)
from .attention import (
    SOURCES as ATTENTION_SOURCES,
)


class Task:
    """The kinds of to-do items, in the order the home page shows them."""

    WORKPLAN_RETURNED = "workplan_returned"
    PROGRESS_RETURNED = "progress_returned"
    DELIVERABLE_RETURNED = "deliverable_returned"
    PROGRESS_DUE = "progress_due"
    DELIVERABLE_TO_UPLOAD = "deliverable_to_upload"
    EXPENDITURE_TO_JUSTIFY = "expenditure_to_justify"
    WORKPLAN_TO_REVIEW = "workplan_to_review"
    PROGRESS_TO_REVIEW = "progress_to_review"
    DELIVERABLE_TO_REVIEW = "deliverable_to_review"


TASK_LABELS = {
    Task.WORKPLAN_RETURNED: _("Workplans returned for changes"),
    Task.PROGRESS_RETURNED: _("Progress updates returned"),
    Task.DELIVERABLE_RETURNED: _("Deliverables returned"),
    Task.PROGRESS_DUE: _("Progress updates due"),
    Task.DELIVERABLE_TO_UPLOAD: _("Deliverables to upload"),
    Task.EXPENDITURE_TO_JUSTIFY: _("Expenditure to justify"),
    Task.WORKPLAN_TO_REVIEW: _("Workplans to review"),
    Task.PROGRESS_TO_REVIEW: _("Progress updates to review"),
    Task.DELIVERABLE_TO_REVIEW: _("Deliverables to review"),
}


def _day(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


# --- a focal point's ------------------------------------------------------------------------------


def _workplans_returned(user, parties, today):
    last_return = WorkplanStep.objects.filter(workplan=OuterRef("pk"), action=WorkplanAction.RETURN).order_by(
        "-taken_at", "-pk"
    )
    return (
        Workplan.objects.restrict(user, Action.VIEW)
        .filter(cap_case__party_id__in=parties, status=WorkplanStatus.RETURNED)
        .annotate(
            return_comment=Subquery(last_return.values("comment")[:1]),
            returned_at=Subquery(last_return.values("taken_at")[:1]),
        )
        .for_table()
        .order_by("updated", "pk")
    )


def _workplan_returned_item(w):
    return AttentionItem(
        Task.WORKPLAN_RETURNED,
        w.cap_case.party,
        str(w),
        w.return_comment or _("Returned for changes."),
        _day(w.returned_at),
        w.get_absolute_url(),
    )


def _progress_returned(user, parties, today):
    return (
        ProgressUpdate.objects.restrict(user, Action.VIEW)
        .filter(focal_point_activities(user, "activity__"), review_status=ReviewStatus.RETURNED)
        .for_table()
        .order_by("reviewed_at", "pk")
    )


def _progress_returned_item(u):
    return AttentionItem(
        Task.PROGRESS_RETURNED,
        u.activity.workplan.cap_case.party,
        str(u),
        u.review_comment or _("Returned."),
        _day(u.reviewed_at),
        reverse("workplans:progress_edit", kwargs={"pk": u.pk}),
    )


def _deliverables_returned(user, parties, today):
    return (
        Deliverable.objects.restrict(user, Action.VIEW)
        .filter(cap_case__party_id__in=parties, review_status=ReviewStatus.RETURNED)
        .for_table()
        .order_by("reviewed_at", "pk")
    )


def _deliverable_returned_item(d):
    return AttentionItem(
        Task.DELIVERABLE_RETURNED,
        d.cap_case.party,
        str(d),
        d.review_comment or _("Returned."),
        _day(d.reviewed_at),
        reverse("workplans:deliverable_edit", kwargs={"pk": d.pk}),
    )


def _progress_due(user, parties, today):
    activities = Activity.objects.restrict(user, Action.VIEW).filter(focal_point_activities(user))
    return (
        activities_due_an_update(activities, today)
        .select_related("workplan__cap_case__party")
        .order_by("planned_start", "pk")
    )


def _progress_due_item(a):
    return AttentionItem(
        Task.PROGRESS_DUE,
        a.workplan.cap_case.party,
        str(a),
        _("No progress reported since %(date)s.") % {"date": date_format(a.last_reported or a.planned_start)},
        update_due_date(a),
        reverse("workplans:progress_add", kwargs={"parent": a.pk}),
    )


def _deliverables_to_upload(user, parties, today):
    return (
        Deliverable.objects.restrict(user, Action.VIEW)
        .filter(cap_case__party_id__in=parties, file="")
        .exclude(review_status=ReviewStatus.ACCEPTED)
        .for_table()
        .order_by("created", "pk")
    )


def _deliverable_to_upload_item(d):
    return AttentionItem(
        Task.DELIVERABLE_TO_UPLOAD,
        d.cap_case.party,
        str(d),
        _("%(kind)s: upload the document.") % {"kind": d.get_kind_display()},
        d.delivered_on,
        reverse("workplans:deliverable_edit", kwargs={"pk": d.pk}),
    )


def _expenditure_to_justify(user, parties, today):
    return (
        Expenditure.objects.restrict(user, Action.VIEW)
        .filter(budget_line__workplan__cap_case__party_id__in=parties, document="")
        .for_table()
        .order_by("spent_on", "pk")
    )


def _expenditure_to_justify_item(e):
    return AttentionItem(
        Task.EXPENDITURE_TO_JUSTIFY,
        e.budget_line.workplan.cap_case.party,
        str(e),
        _("No supporting document: attach the invoice or receipt."),
        e.spent_on,
        e.get_absolute_url(),
    )


# --- a case manager's -----------------------------------------------------------------------------


# The submissions waiting for review are the attention list's, less the reviewer's own.


def _workplans_to_review(user, parties, today):
    return ATTENTION_SOURCES[Kind.WORKPLAN_SUBMITTED][0](Scope(user, today, None))


def _progress_to_review(user, parties, today):
    return ATTENTION_SOURCES[Kind.PROGRESS_SUBMITTED][0](Scope(user, today, None)).exclude(submitted_by=user)


def _deliverables_to_review(user, parties, today):
    rows = ATTENTION_SOURCES[Kind.DELIVERABLE_SUBMITTED][0](Scope(user, today, None))
    return rows.exclude(submitted_by=user)


# task → (who has it: "focal point" (MA) / "reporter" (MA or SA) / "reviewer", its ordered queryset,
# how a row becomes an item)
FOCAL_POINT, REPORTER, REVIEWER = "focal_point", "reporter", "reviewer"
SOURCES = {
    Task.WORKPLAN_RETURNED: (FOCAL_POINT, _workplans_returned, _workplan_returned_item),
    Task.PROGRESS_RETURNED: (REPORTER, _progress_returned, _progress_returned_item),
    Task.DELIVERABLE_RETURNED: (FOCAL_POINT, _deliverables_returned, _deliverable_returned_item),
    Task.PROGRESS_DUE: (REPORTER, _progress_due, _progress_due_item),
    Task.DELIVERABLE_TO_UPLOAD: (FOCAL_POINT, _deliverables_to_upload, _deliverable_to_upload_item),
    Task.EXPENDITURE_TO_JUSTIFY: (FOCAL_POINT, _expenditure_to_justify, _expenditure_to_justify_item),
    Task.WORKPLAN_TO_REVIEW: (REVIEWER, _workplans_to_review, ATTENTION_SOURCES[Kind.WORKPLAN_SUBMITTED][1]),
    Task.PROGRESS_TO_REVIEW: (REVIEWER, _progress_to_review, ATTENTION_SOURCES[Kind.PROGRESS_SUBMITTED][1]),
    Task.DELIVERABLE_TO_REVIEW: (
        REVIEWER,
        _deliverables_to_review,
        ATTENTION_SOURCES[Kind.DELIVERABLE_SUBMITTED][1],
    ),
}


def todo_querysets(user, today: datetime.date | None = None) -> dict:
    """task → the ordered queryset of what waits for ``user``, for the tasks their roles give
    them (none for an anonymous user, a viewer or a donor observer). Nothing is read yet."""
    if user is None or not user.is_authenticated:
        return {}
    today = today or timezone.localdate()
    ma_parties = party_ids_held(user, MA_ROLES)
    held = {
        FOCAL_POINT: bool(ma_parties),
        REPORTER: bool(party_ids_held(user)),
        REVIEWER: holds_role(user, CASE_MANAGER_ROLES),
    }
    return {
        task: rows(user, list(ma_parties), today) for task, (who, rows, _item) in SOURCES.items() if held[who]
    }


def todo(user, today: datetime.date | None = None, *, preview: int = ATTENTION_PREVIEW) -> Attention | None:
    """What waits for ``user``, each kind with its count and its first ``preview`` items; None for
    someone with no task to do in the portal. One query per kind."""
    querysets = todo_querysets(user, today)
    if not querysets:
        return None
    groups = []
    for task, queryset in querysets.items():
        items, count = read_items(queryset, SOURCES[task][2], 0, preview)
        if count:
            groups.append(AttentionGroup(task, TASK_LABELS[task], items, count))
    return Attention(groups)


def todo_count(user, today: datetime.date | None = None) -> int:
    """How many things wait for ``user``: one query (none for someone with no task)."""
    return sum(count_rows(todo_querysets(user, today)).values())


def navigation(request) -> dict:
    """Context processor: ``nav_todo_count``, the number of things waiting for the signed-in
    person, counted only when a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_todo_count": SimpleLazyObject(lambda: todo_count(user))}
