"""Writes of the workplans app beyond plain create/update/delete.

- :func:`workplan_transition`, :func:`progress_update_review`, :func:`deliverable_review`: thin
  wrappers of the one workflow engine (:func:`cap_portal.workflow.transition_take`) over the
  tables of ``workplans.workflow``;
- :func:`progress_update_submit` / :func:`progress_update_change`; :func:`deliverable_change`;
- :func:`workplan_plan_copy`: a revision starts from a copy of the plan it revises;
- :func:`workplan_import`: a filled XLSX template replaces a draft's plan, all or nothing;
- :func:`plan_object_delete`: deletes refused once the plan is no longer a draft.

Every function is keyword-only and atomic: on error nothing is written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cap_portal import services as generic
from cap_portal.access import PLANNER_ROLES, SA_ROLES, holds_role
from cap_portal.history import acting_user
from cap_portal.workflow import transition_take
from portfolio.notify import notify

from .choices import SA_REPORTED_ENTITIES, ReviewDecision, ReviewStatus
from .models import Activity, Deliverable, Indicator, Milestone, ProgressUpdate, Workplan
from .workflow import DELIVERABLE_SUBMITTED, PROGRESS_SUBMITTED


@transaction.atomic
def workplan_transition(
    *, workplan: Workplan, action: str, user, comment: str = "", reason: str = ""
) -> Workplan:
    """Take a workflow step on a workplan version and record it (who, when, comment).

    Returns the workplan the step leaves the user on: the same version, or for ``revise`` the new
    draft version (a copy of the plan's activities, milestones and indicators).

    Raises ``PermissionDenied`` when the user's role may not take the step, and ``ValidationError``
    (on ``action``, ``comment`` or ``reason``) when the step is not allowed from the current state
    or its comment/reason is missing. The table is ``workplans.workflow.WORKFLOW``; the step is
    taken by the one engine, :func:`cap_portal.workflow.transition_take`.
    """
    return transition_take(obj=workplan, action=action, user=user, comment=comment, reason=reason)


def _clone(instance, **changes):
    """Save a copy of ``instance`` with ``changes`` (a new row; history records the acting user)."""
    values = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in ("created", "updated")
    }
    values.update(changes)
    copy = type(instance)(**values)
    copy.save()
    return copy


def workplan_plan_copy(*, source: Workplan, target: Workplan) -> None:
    """Copy activities (with the recommendations they address), milestones, indicators and their
    values, and the budget lines from one version to another (a revision starts from the plan it
    revises, its budget included, editable in the new draft). A copied milestone, indicator or
    budget line is tied to the copy of its activity. Expenditure stays with the lines it was
    reported against (the version in force)."""
    from budgets.models import BudgetLine  # the budgets app imports this one's models

    activity_map = {}
    for activity in source.activities.prefetch_related("recommendations"):
        copy = _clone(activity, workplan_id=target.pk)
        copy.recommendations.set(activity.recommendations.all())
        activity_map[activity.pk] = copy.pk
    for milestone in Milestone.objects.filter(workplan=source):
        _clone(milestone, workplan_id=target.pk, activity_id=activity_map.get(milestone.activity_id))
    for indicator in Indicator.objects.filter(workplan=source).prefetch_related("values"):
        copy = _clone(indicator, workplan_id=target.pk, activity_id=activity_map.get(indicator.activity_id))
        for value in indicator.values.all():
            _clone(value, indicator_id=copy.pk)
    for line in BudgetLine.objects.filter(workplan=source).order_by("pk"):
        _clone(line, workplan_id=target.pk, activity_id=activity_map.get(line.activity_id))


# --- Progress updates ---------------------------------------------------------------------------


def may_report_progress(user, activity: Activity) -> tuple[bool, str]:
    """The Secretariat case manager and the Party's MA focal point report on every activity; the
    Party's SA / enforcement focal point on the activities assigned to the SA or enforcement."""
    party_id = activity.workplan.cap_case.party_id
    if holds_role(user, PLANNER_ROLES, party_id):
        return True, ""
    if holds_role(user, SA_ROLES, party_id):
        if activity.responsible_entity in SA_REPORTED_ENTITIES:
            return True, ""
        return False, str(
            _("The SA / enforcement focal point reports on the activities assigned to the SA or enforcement.")
        )
    return False, str(_("You may not report progress on this activity."))


def _check_reporter(user, activity) -> None:
    allowed, why = may_report_progress(user, activity)
    if not allowed:
        raise ValidationError({"activity": why})


@transaction.atomic
def progress_update_submit(*, user, data: dict) -> ProgressUpdate:
    """Report progress on an activity for a period; it waits for the case manager's review."""
    activity = data.get("activity")
    if activity is not None:
        _check_reporter(user, activity)
    update = generic.object_create(
        model=ProgressUpdate,
        user=user,
        data={**data, "submitted_by": user, "review_status": ReviewStatus.SUBMITTED},
    )
    notify(PROGRESS_SUBMITTED, obj=update, actor=user)
    return update


@transaction.atomic
def progress_update_change(*, update: ProgressUpdate, user, data: dict) -> ProgressUpdate:
    """Correct a progress update not yet accepted; a returned one goes back for review."""
    _check_reporter(user, data.get("activity") or update.activity)
    # Whoever sends it (back) for review is its submitter: the four-eyes rule reads it.
    was_returned = update.review_status == ReviewStatus.RETURNED
    update = generic.object_update(
        instance=update,
        user=user,
        data={**data, "review_status": ReviewStatus.SUBMITTED, "submitted_by": user},
    )
    if was_returned:  # corrected and sent back: the case manager reviews it again
        notify(PROGRESS_SUBMITTED, obj=update, actor=user)
    return update


@transaction.atomic
def progress_update_review(
    *, update: ProgressUpdate, user, accept: bool, comment: str = ""
) -> ProgressUpdate:
    """The case manager accepts a progress update (its activity takes the reported status, percent
    and actual dates) or returns it with a comment. The table is
    ``workplans.workflow.PROGRESS_REVIEW``, taken by :func:`cap_portal.workflow.transition_take`."""
    action = ReviewDecision.ACCEPT if accept else ReviewDecision.RETURN
    return transition_take(obj=update, action=action, user=user, comment=comment)


# --- Deliverables -------------------------------------------------------------------------------


@transaction.atomic
def deliverable_review(*, deliverable: Deliverable, user, accept: bool, comment: str = "") -> Deliverable:
    """The case manager accepts a deliverable or returns it with a comment (the table is
    ``workplans.workflow.DELIVERABLE_REVIEW``)."""
    action = ReviewDecision.ACCEPT if accept else ReviewDecision.RETURN
    return transition_take(obj=deliverable, action=action, user=user, comment=comment)


@transaction.atomic
def deliverable_submit(*, user, data: dict) -> Deliverable:
    """Record a deliverable; it waits for a case manager's review (not the submitter's: four eyes)."""
    deliverable = generic.object_create(
        model=Deliverable,
        user=user,
        data={**data, "submitted_by": user, "review_status": ReviewStatus.SUBMITTED},
    )
    notify(DELIVERABLE_SUBMITTED, obj=deliverable, actor=user)
    return deliverable


@transaction.atomic
def deliverable_change(*, deliverable: Deliverable, user, data: dict) -> Deliverable:
    """Edit a deliverable; a new document (or a change to a returned one) goes back for review,
    with the editor as its submitter."""
    data = dict(data)
    if "file" in data and data["file"] is not None and not getattr(data["file"], "_committed", True):
        data["review_status"] = ReviewStatus.SUBMITTED
        data["submitted_by"] = user
    elif deliverable.review_status == ReviewStatus.RETURNED:
        data["review_status"] = ReviewStatus.SUBMITTED
        data["submitted_by"] = user
    # A replaced document is kept on disk: the record's history still names it.
    resubmitted = data.get("review_status") == ReviewStatus.SUBMITTED
    deliverable = generic.object_update(instance=deliverable, user=user, data=data)
    if resubmitted:
        notify(DELIVERABLE_SUBMITTED, obj=deliverable, actor=user)
    return deliverable


# --- Deletes ------------------------------------------------------------------------------------


def check_deletable(*, instance) -> None:
    """Raise ``ValidationError`` when the record's state forbids deleting it (a submitted or approved
    plan, an accepted progress update)."""
    error = instance.deletion_error() if hasattr(instance, "deletion_error") else None
    if error:
        raise ValidationError({getattr(instance, "deletion_error_field", "non_field_errors"): error})


@transaction.atomic
def plan_object_delete(*, instance, user) -> None:
    """Delete a workplan version, a part of its plan or a progress update, unless its state forbids it."""
    check_deletable(instance=instance)
    generic.object_delete(instance=instance, user=user)


# --- Spreadsheet import -------------------------------------------------------------------------


@transaction.atomic
def workplan_import(*, workplan: Workplan, user, file) -> Workplan:
    """Import a filled template (or a version's own export) into a draft (or returned) version:
    its activities, milestones, indicators and, when the workbook has the sheet, budget lines.
    Rows update the draft's records with the same key (activity code, milestone title, indicator
    name; a budget line's activity code, description and year), add the others, and remove the
    records no row names — so a version's export imported into its own revision changes nothing.
    All or nothing: any bad row or cell raises a ``ValidationError`` listing them all (sheet, row
    and column), and nothing is written."""
    from .spreadsheets import read_workbook

    workplan = Workplan.objects.select_for_update().select_related("cap_case").get(pk=workplan.pk)
    if not workplan.is_editable:
        raise ValidationError(
            {
                "file": _(
                    "Only a draft or returned version can be imported into; revise the approved one first."
                )
            }
        )
    plan = read_workbook(file, workplan)
    for obj in plan.removed:
        generic.object_delete(instance=obj, user=user)
    with acting_user(user):
        for activity, recommendations in plan.activities:
            if activity._import_changed:
                activity.save()
            activity.recommendations.set(recommendations)
        for obj in [*plan.milestones, *plan.indicators, *(plan.budget_lines or [])]:
            linked = obj._import_activity
            if obj._import_changed or obj.activity_id != (linked.pk if linked else None):
                obj.activity = linked
                obj.save()
    return workplan
