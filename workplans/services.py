"""Writes of the workplans app beyond plain create/update/delete.

- :func:`workplan_transition`: the one entry point of the workflow (``workplans.workflow``);
- :func:`progress_update_submit` / :func:`progress_update_change` / :func:`progress_update_review`;
- :func:`deliverable_change` / :func:`deliverable_review`;
- :func:`workplan_import`: a filled XLSX template replaces a draft's plan, all or nothing;
- :func:`plan_object_delete`: deletes refused once the plan is no longer a draft.

Every function is keyword-only and atomic: on error nothing is written.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cap_portal import services as generic
from cap_portal.access import Role

from .choices import SA_REPORTED_ENTITIES, ChangeReason, ReviewStatus, WorkplanAction, WorkplanStatus
from .models import Activity, Deliverable, Indicator, Milestone, ProgressUpdate, Workplan, WorkplanStep
from .workflow import CASE_MANAGER_ONLY, TRANSITIONS, holds_role_for, may_take


def _stamp(instance, user) -> None:
    instance._history_user = user if getattr(user, "is_authenticated", False) else None


def _record_step(*, workplan, action, from_status, user, comment="", reason="") -> WorkplanStep:
    step = WorkplanStep(
        workplan=workplan,
        action=action,
        from_status=from_status,
        to_status=workplan.status,
        actor=user,
        comment=comment,
        reason=reason,
    )
    _stamp(step, user)
    step.save()
    return step


@transaction.atomic
def workplan_transition(
    *, workplan: Workplan, action: str, user, comment: str = "", reason: str = ""
) -> Workplan:
    """Take a workflow step on a workplan version and record it (who, when, comment).

    Returns the workplan the step leaves the user on: the same version, or for ``revise`` the new
    draft version (a copy of the plan's activities, milestones and indicators).

    Raises ``PermissionDenied`` when the user's role may not take the step, and ``ValidationError``
    (on ``action``, ``comment`` or ``reason``) when the step is not allowed from the current state
    or its comment/reason is missing.
    """
    workplan = Workplan.objects.select_for_update().select_related("cap_case").get(pk=workplan.pk)
    allowed, why = may_take(user, workplan, action)
    if action not in TRANSITIONS:
        raise ValidationError({"action": why})
    if not allowed:
        raise PermissionDenied(why)
    transition = TRANSITIONS[action]
    if workplan.status not in transition.sources:
        raise ValidationError(
            {
                "action": _("“%(action)s” is not possible while the workplan is %(status)s.")
                % {"action": WorkplanAction(action).label, "status": workplan.get_status_display()}
            }
        )
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise ValidationError({"comment": _("Say why: the comment is sent back with the workplan.")})
    if transition.reason_required and reason not in ChangeReason.values:
        raise ValidationError({"reason": _("Choose the reason for the revision.")})

    if action == WorkplanAction.SUBMIT and not workplan.activities.exists():
        raise ValidationError({"action": _("Add at least one activity before submitting the workplan.")})

    if transition.creates_version:
        return _revise(workplan=workplan, user=user, comment=comment, reason=reason)

    from_status = workplan.status
    workplan.status = transition.target
    _stamp(workplan, user)
    workplan.save(update_fields=["status", "updated"])
    _record_step(workplan=workplan, action=action, from_status=from_status, user=user, comment=comment)

    if action == WorkplanAction.APPROVE and workplan.revises_id:
        previous = Workplan.objects.select_for_update().get(pk=workplan.revises_id)
        if previous.status == WorkplanStatus.APPROVED:
            previous.status = WorkplanStatus.SUPERSEDED
            _stamp(previous, user)
            previous.save(update_fields=["status", "updated"])
            _record_step(
                workplan=previous,
                action=WorkplanAction.SUPERSEDE,
                from_status=WorkplanStatus.APPROVED,
                user=user,
                comment=str(_("Superseded by version %(version)s.") % {"version": workplan.version}),
            )
    return workplan


def _revise(*, workplan: Workplan, user, comment: str, reason: str) -> Workplan:
    newer = Workplan.objects.filter(cap_case_id=workplan.cap_case_id, version__gt=workplan.version).first()
    if newer is not None:
        raise ValidationError(
            {
                "action": _("A revision is already in preparation (version %(version)s).")
                % {"version": newer.version}
            }
        )
    version = Workplan.objects.filter(cap_case_id=workplan.cap_case_id).aggregate(v=Max("version"))["v"] + 1
    copy = Workplan(
        cap_case_id=workplan.cap_case_id,
        version=version,
        status=WorkplanStatus.DRAFT,
        revises=workplan,
        revision_reason=reason,
        is_illustrative=workplan.is_illustrative,
        **{
            name: getattr(workplan, name)
            for name in (
                "title",
                "starts_on",
                "ends_on",
                "objective",
                "needs_and_gaps",
                "stakeholders",
                "communication",
                "monitoring",
            )
        },
    )
    _stamp(copy, user)
    copy.save()
    _copy_plan(source=workplan, target=copy, user=user)
    _record_step(
        workplan=copy,
        action=WorkplanAction.REVISE,
        from_status="",
        user=user,
        comment=comment,
        reason=reason,
    )
    return copy


def _clone(instance, user, **changes):
    """Save a copy of ``instance`` with ``changes`` (a new row; history records the user)."""
    values = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key and f.name not in ("created", "updated")
    }
    values.update(changes)
    copy = type(instance)(**values)
    _stamp(copy, user)
    copy.save()
    return copy


def _copy_plan(*, source: Workplan, target: Workplan, user) -> None:
    """Copy activities (with the recommendations they address), milestones, indicators and their values."""
    activity_map = {}
    for activity in source.activities.prefetch_related("recommendations"):
        copy = _clone(activity, user, workplan_id=target.pk)
        copy.recommendations.set(activity.recommendations.all())
        activity_map[activity.pk] = copy.pk
    for milestone in Milestone.objects.filter(workplan=source):
        _clone(milestone, user, workplan_id=target.pk, activity_id=activity_map.get(milestone.activity_id))
    for indicator in Indicator.objects.filter(workplan=source).prefetch_related("values"):
        copy = _clone(
            indicator, user, workplan_id=target.pk, activity_id=activity_map.get(indicator.activity_id)
        )
        for value in indicator.values.all():
            _clone(value, user, indicator_id=copy.pk)


# --- Progress updates ---------------------------------------------------------------------------


def may_report_progress(user, activity: Activity) -> tuple[bool, str]:
    """The Secretariat case manager and the Party's MA focal point report on every activity; the
    Party's SA / enforcement focal point on the activities assigned to the SA or enforcement."""
    party_id = activity.workplan.cap_case.party_id
    if holds_role_for(user, frozenset({Role.CASE_MANAGER, Role.MA_FOCAL_POINT}), party_id):
        return True, ""
    if holds_role_for(user, frozenset({Role.SA_FOCAL_POINT}), party_id):
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
    return generic.object_create(
        model=ProgressUpdate,
        user=user,
        data={**data, "submitted_by": user, "review_status": ReviewStatus.SUBMITTED},
    )


@transaction.atomic
def progress_update_change(*, update: ProgressUpdate, user, data: dict) -> ProgressUpdate:
    """Correct a progress update not yet accepted; a returned one goes back for review."""
    _check_reporter(user, data.get("activity") or update.activity)
    return generic.object_update(
        instance=update, user=user, data={**data, "review_status": ReviewStatus.SUBMITTED}
    )


@transaction.atomic
def progress_update_review(
    *, update: ProgressUpdate, user, accept: bool, comment: str = ""
) -> ProgressUpdate:
    """The case manager accepts a progress update (its activity takes the reported status, percent
    and actual dates) or returns it with a comment."""
    update = (
        ProgressUpdate.objects.select_for_update()
        .select_related("activity__workplan__cap_case")
        .get(pk=update.pk)
    )
    if not holds_role_for(user, CASE_MANAGER_ONLY, update.activity.workplan.cap_case.party_id):
        raise PermissionDenied(_("Only a Secretariat case manager reviews progress updates."))
    if update.review_status != ReviewStatus.SUBMITTED:
        raise ValidationError(
            {
                "review_status": _("This progress update is %(status)s already.")
                % {"status": update.get_review_status_display()}
            }
        )
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say why: the comment is sent back with the update.")})
    update.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    update.review_comment = comment
    update.reviewed_by = user
    update.reviewed_at = timezone.now()
    _stamp(update, user)
    update.save()
    if accept:
        activity = update.activity
        activity.status = update.status
        activity.percent_complete = update.percent_complete
        activity.actual_start = update.actual_start or activity.actual_start
        activity.actual_end = update.actual_end or activity.actual_end
        _stamp(activity, user)
        # The plan is approved and read-only; the accepted update is what may change its progress.
        activity.save(update_fields=["status", "percent_complete", "actual_start", "actual_end", "updated"])
    return update


# --- Deliverables -------------------------------------------------------------------------------


@transaction.atomic
def deliverable_review(*, deliverable: Deliverable, user, accept: bool, comment: str = "") -> Deliverable:
    """The case manager accepts a deliverable or returns it with a comment."""
    if not holds_role_for(user, CASE_MANAGER_ONLY, deliverable.cap_case.party_id):
        raise PermissionDenied(_("Only a Secretariat case manager reviews deliverables."))
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say why: the comment is sent back with the deliverable.")})
    deliverable.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    deliverable.review_comment = comment
    deliverable.reviewed_by = user
    deliverable.reviewed_at = timezone.now()
    _stamp(deliverable, user)
    deliverable.save()
    return deliverable


@transaction.atomic
def deliverable_change(*, deliverable: Deliverable, user, data: dict) -> Deliverable:
    """Edit a deliverable; a new document (or a change to a returned one) goes back for review."""
    data = dict(data)
    if "file" in data and data["file"] is not None and not getattr(data["file"], "_committed", True):
        data["review_status"] = ReviewStatus.SUBMITTED
    elif deliverable.review_status == ReviewStatus.RETURNED:
        data["review_status"] = ReviewStatus.SUBMITTED
    # A replaced document is kept on disk: the record's history still names it.
    return generic.object_update(instance=deliverable, user=user, data=data)


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
    """Replace the plan of a draft (or returned) version with the activities, milestones and
    indicators of a filled template. All or nothing: any bad row or cell raises a
    ``ValidationError`` listing them all, and nothing is written."""
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
    for model in (Milestone, Indicator, Activity):
        for obj in model.objects.filter(workplan=workplan):
            generic.object_delete(instance=obj, user=user)
    for activity, recommendations in plan.activities:
        _stamp(activity, user)
        activity.save()
        if recommendations:
            activity.recommendations.set(recommendations)
    for obj in [*plan.milestones, *plan.indicators]:
        obj.activity = obj._import_activity
        _stamp(obj, user)
        obj.save()
    return workplan
