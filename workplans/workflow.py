"""The workflows of the workplans app, declared as data and taken through the one engine,
:func:`cap_portal.workflow.transition_take`.

- A workplan version goes draft → submitted → approved; a submitted version may be returned
  (with a comment) and submitted again; an approved version may be revised, which creates a new
  draft version (the approved one stays in force until the new one is approved, and is then
  superseded). Each step is a :class:`workplans.models.WorkplanStep`.
- The case manager accepts a progress update (its activity takes the reported progress) or
  returns it with a comment; likewise a deliverable. The review is kept on the record
  (``reviewed_by``, ``reviewed_at``, ``review_comment``).

The models import this module (``EDITABLE_STATES``): models are imported inside the functions.
"""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES, PLANNER_ROLES
from cap_portal.workflow import Notify, Transition, Workflow, guard, transition_apply
from portfolio import audiences
from portfolio.choices import NotificationKind as N

from .choices import ChangeReason, ReviewDecision, ReviewStatus
from .choices import WorkplanAction as A
from .choices import WorkplanStatus as S

# The states in which a version's plan (its activities, milestones and indicators) may be edited.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})


# --- Workplan versions ---------------------------------------------------------------------------


def record_workplan_step(workplan, *, transition, from_state, user, comment, reason="", **_extra):
    """Every step is a :class:`WorkplanStep`: what was done, by whom, when, with the comment."""
    from .models import WorkplanStep

    step = WorkplanStep(
        workplan=workplan,
        action=transition.action,
        from_status=from_state,
        to_status=workplan.status,
        actor=user,
        comment=comment,
        reason=reason,
    )
    step.save()
    return step


@guard()
def approver_did_not_submit(workplan, *, user, **_context) -> tuple[bool, str]:
    """Four eyes: the person who submitted the workplan version does not approve it."""
    from .models import WorkplanStep

    submitted_by = (
        WorkplanStep.objects.filter(workplan=workplan, action=A.SUBMIT)
        .order_by("-pk")
        .values_list("actor_id", flat=True)
        .first()
    )
    if submitted_by is None or submitted_by != user.pk:
        return True, ""
    return False, str(_("You submitted this workplan: another case manager approves it."))


@guard()
def has_activities(workplan, **_context) -> tuple[bool, str]:
    """A workplan is submitted with at least one activity."""
    if workplan.activities.exists():
        return True, ""
    return False, str(_("Add at least one activity before submitting the workplan."))


@guard(field="reason")
def revision_reason_chosen(workplan, *, reason="", **_context) -> tuple[bool, str]:
    """A revision names its reason (SC78 Doc. 23 paras. 10, 43–49)."""
    if reason in ChangeReason.values:
        return True, ""
    return False, str(_("Choose the reason for the revision."))


@guard()
def no_revision_in_preparation(workplan, **_context) -> tuple[bool, str]:
    """One revision at a time: a newer version of the CAP case must not exist yet."""
    from .models import Workplan

    newer = Workplan.objects.filter(cap_case_id=workplan.cap_case_id, version__gt=workplan.version).first()
    if newer is None:
        return True, ""
    return False, str(
        _("A revision is already in preparation (version %(version)s).") % {"version": newer.version}
    )


def supersede_revised_version(workplan, *, user, **_context) -> None:
    """Approving a revision supersedes the approved version it revises (a step of the system)."""
    from .models import Workplan

    if not workplan.revises_id:
        return
    previous = Workplan.objects.select_for_update().get(pk=workplan.revises_id)
    if previous.status == S.APPROVED:
        comment = str(_("Superseded by version %(version)s.") % {"version": workplan.version})
        transition_apply(obj=previous, transition=SUPERSEDE, user=user, comment=comment)


def create_revision(workplan, *, user, comment, transition, reason="", **_context):
    """Revising makes a new draft version, a copy of the plan; the approved one stays as it is."""
    from .models import Workplan
    from .services import workplan_plan_copy

    version = Workplan.objects.filter(cap_case_id=workplan.cap_case_id).aggregate(v=Max("version"))["v"] + 1
    copy = Workplan(
        cap_case_id=workplan.cap_case_id,
        version=version,
        status=transition.target,
        revises=workplan,
        revision_reason=reason,
        is_illustrative=workplan.is_illustrative,
        **{name: getattr(workplan, name) for name in REVISED_FIELDS},
    )
    copy._change_reason = comment or str(transition.label)
    copy.save()
    workplan_plan_copy(source=workplan, target=copy)
    copy.workflow_step = record_workplan_step(
        copy, transition=transition, from_state="", user=user, comment=comment, reason=reason
    )
    return copy


# The fields a revision takes over from the version it revises.
REVISED_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "objective",
    "needs_and_gaps",
    "stakeholders",
    "communication",
    "monitoring",
)

WORKFLOW = Workflow(
    model="workplans.Workplan",
    field="status",
    transitions=(
        Transition(
            A.SUBMIT,
            frozenset({S.DRAFT, S.RETURNED}),
            S.SUBMITTED,
            PLANNER_ROLES,
            A.SUBMIT.label,
            guards=(has_activities,),
            notify=Notify(N.WORKPLAN_SUBMITTED, audiences.case_managers),
        ),
        Transition(
            A.APPROVE,
            frozenset({S.SUBMITTED}),
            S.APPROVED,
            CASE_MANAGER_ROLES,
            A.APPROVE.label,
            guards=(approver_did_not_submit,),
            effect=supersede_revised_version,
            notify=Notify(N.WORKPLAN_APPROVED, audiences.planners_and_submitter),
        ),
        Transition(
            A.RETURN,
            frozenset({S.SUBMITTED}),
            S.RETURNED,
            CASE_MANAGER_ROLES,
            A.RETURN.label,
            comment_required=True,
            notify=Notify(N.WORKPLAN_RETURNED, audiences.planners_and_submitter),
        ),
        Transition(
            A.REVISE,
            frozenset({S.APPROVED}),
            S.DRAFT,
            PLANNER_ROLES,
            A.REVISE.label,
            guards=(revision_reason_chosen, no_revision_in_preparation),
            inputs=("reason",),
            perform=create_revision,
            notify=Notify(N.WORKPLAN_REVISED, audiences.case_managers),
        ),
    ),
    record=record_workplan_step,
    state_message=_("“%(action)s” is not possible while the workplan is %(status)s."),
    comment_message=_("Say why: the comment is sent back with the workplan."),
)
# Taken by the system when a revision is approved, never by a user: not a row of the table.
SUPERSEDE = Transition(A.SUPERSEDE, frozenset({S.APPROVED}), S.SUPERSEDED, frozenset(), A.SUPERSEDE.label)
TRANSITIONS = WORKFLOW.by_action


# --- Reviews of what a Party reports -------------------------------------------------------------


def record_review(obj, *, user, comment, **_extra) -> None:
    """The review is kept on the record: who, when, and the comment sent back."""
    obj.review_comment = comment
    obj.reviewed_by = user
    obj.reviewed_at = timezone.now()


def activity_takes_progress(update, **_context) -> None:
    """An accepted update gives its activity the reported status, percent and actual dates."""
    activity = update.activity
    activity.status = update.status
    activity.percent_complete = update.percent_complete
    activity.actual_start = update.actual_start or activity.actual_start
    activity.actual_end = update.actual_end or activity.actual_end
    activity._change_reason = str(_("Progress update accepted."))
    # The plan is approved and read-only; the accepted update is what may change its progress.
    activity.save(update_fields=["status", "percent_complete", "actual_start", "actual_end", "updated"])


@guard(field="review_status")
def reviewer_is_not_submitter(record, *, user, **_context) -> tuple[bool, str]:
    """Four eyes: the person who submitted a record (``SubmittedForReview.submitted_by``) does not
    accept it; another case manager does. A record whose submitter is unknown (entered before the
    portal recorded it) may be accepted by anyone allowed."""
    if record.submitted_by_id is None or record.submitted_by_id != user.pk:
        return True, ""
    return False, str(
        _("You submitted this %(record)s: another case manager accepts it.")
        % {"record": record._meta.verbose_name}
    )


def review_transitions(
    from_states=frozenset({ReviewStatus.SUBMITTED}), *, effect=None, guards=(), accepted: str, returned: str
):
    """The two steps of a review by a case manager (progress updates, deliverables, results):
    accept (with the record's ``effect`` and ``guards``, and always the four-eyes rule
    :func:`reviewer_is_not_submitter`), or return with a comment. Either is told to the
    submitter and the Party's focal points, as the notification kinds ``accepted`` / ``returned``."""
    guards = (reviewer_is_not_submitter, *guards)
    return (
        Transition(
            ReviewDecision.ACCEPT,
            from_states,
            ReviewStatus.ACCEPTED,
            CASE_MANAGER_ROLES,
            ReviewDecision.ACCEPT.label,
            effect=effect,
            guards=guards,
            notify=Notify(accepted, audiences.reporters_and_submitter),
        ),
        Transition(
            ReviewDecision.RETURN,
            from_states,
            ReviewStatus.RETURNED,
            CASE_MANAGER_ROLES,
            ReviewDecision.RETURN.label,
            comment_required=True,
            notify=Notify(returned, audiences.reporters_and_submitter),
        ),
    )


PROGRESS_REVIEW = Workflow(
    model="workplans.ProgressUpdate",
    field="review_status",
    transitions=review_transitions(
        effect=activity_takes_progress, accepted=N.PROGRESS_ACCEPTED, returned=N.PROGRESS_RETURNED
    ),
    record=record_review,
    state_field="review_status",
    role_message=_("Only a Secretariat case manager reviews progress updates."),
    state_message=_("This progress update is %(status)s already."),
    comment_message=_("Say why: the comment is sent back with the update."),
)

# A deliverable may be reviewed again whatever its review status (a new document resets it to
# "submitted" anyway; see ``deliverable_change``).
ANY_REVIEW_STATUS = frozenset(ReviewStatus.values)

DELIVERABLE_REVIEW = Workflow(
    model="workplans.Deliverable",
    field="review_status",
    transitions=review_transitions(
        ANY_REVIEW_STATUS, accepted=N.DELIVERABLE_ACCEPTED, returned=N.DELIVERABLE_RETURNED
    ),
    record=record_review,
    role_message=_("Only a Secretariat case manager reviews deliverables."),
    comment_message=_("Say why: the comment is sent back with the deliverable."),
)


# --- Hand-overs that are not steps of a table ----------------------------------------------------
# A Party's progress update or deliverable, submitted (or sent back for review) through
# ``workplans.services``, waits for the case manager: the service calls ``portfolio.notify.notify``.
PROGRESS_SUBMITTED = Notify(N.PROGRESS_SUBMITTED, audiences.case_managers)
DELIVERABLE_SUBMITTED = Notify(N.DELIVERABLE_SUBMITTED, audiences.case_managers)
HANDOVERS = (PROGRESS_SUBMITTED, DELIVERABLE_SUBMITTED)
