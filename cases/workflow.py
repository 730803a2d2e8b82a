"""The CAP case workflow, declared as data: which stage may follow which, and who may move it.

Taken through the one engine, :func:`cap_portal.workflow.transition_take` (the API and the UI
name the target stage: :func:`cases.services.cap_case_transition` finds the step). Each move is
recorded as a :class:`cases.models.CapCaseTransition` (who, when, why). Adding a step to the
programme means adding a row here, not a branch in a view.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES
from cap_portal.workflow import Notify, Transition, Workflow, may_take
from portfolio import audiences
from portfolio.choices import NotificationKind as N
from workplans.workflow import record_review, review_transitions

from .choices import CapStage as S


def start_implementation(cap_case, **_context) -> None:
    """Starting implementation sets ``started_on`` when it is still empty."""
    if cap_case.started_on is None:
        cap_case.started_on = timezone.localdate()


def record_stage_change(cap_case, *, transition, from_state, user, comment, **_extra):
    """Every move is a :class:`CapCaseTransition`: from, to, who, when and why."""
    from .models import CapCaseTransition

    record = CapCaseTransition(
        cap_case=cap_case, from_stage=from_state, to_stage=transition.target, taken_by=user, reason=comment
    )
    record.full_clean()
    record.save()
    return record


SELECTION = frozenset({S.CANDIDATE, S.LONG_LIST, S.SHORT_LIST})
# Every move is told to the Party's focal points and the case's case manager.
STAGE_CHANGED = Notify(N.CASE_STAGE_CHANGED, audiences.party_and_case_manager)


def _step(action, sources, target, label, **options) -> Transition:
    # Every move of a CAP case is the Secretariat case manager's, and says why.
    return Transition(
        action,
        frozenset(sources),
        target,
        CASE_MANAGER_ROLES,
        label,
        comment_required=True,
        notify=STAGE_CHANGED,
        **options,
    )


WORKFLOW = Workflow(
    model="cases.CapCase",
    field="stage",
    transitions=(
        _step("long_list", {S.CANDIDATE}, S.LONG_LIST, _("Put on the long list")),
        _step("short_list", {S.LONG_LIST}, S.SHORT_LIST, _("Put on the short list")),
        _step("select", {S.SHORT_LIST}, S.SELECTED, _("Select")),
        _step("not_select", SELECTION, S.NOT_SELECTED, _("Do not select")),
        _step("reconsider", {S.NOT_SELECTED}, S.CANDIDATE, _("Reconsider as a candidate")),
        _step(
            "start_implementation",
            {S.SELECTED},
            S.IN_IMPLEMENTATION,
            _("Start implementation"),
            effect=start_implementation,
        ),
        _step("start_closing", {S.IN_IMPLEMENTATION}, S.CLOSING, _("Start closing")),
        _step("resume_implementation", {S.CLOSING}, S.IN_IMPLEMENTATION, _("Resume implementation")),
        _step("close", {S.CLOSING}, S.CLOSED, _("Close")),
    ),
    record=record_stage_change,
    # The API and the UI name the target stage and give the reason.
    action_field="to_stage",
    comment_field="reason",
    role_message=_("Only a Secretariat case manager may take this step."),
    comment_message=_("Say why the CAP case moves to this stage."),
)
TRANSITIONS = WORKFLOW.transitions


def transition_between(source: str, target: str) -> Transition | None:
    """The declared transition from ``source`` to ``target``, or None when the table has none."""
    return next((t for t in TRANSITIONS if source in t.sources and t.target == target), None)


def transitions_from(source: str) -> list[Transition]:
    return WORKFLOW.transitions_from(source)


def can_transition(user, cap_case, to_stage: str) -> tuple[bool, str]:
    """Whether ``user`` may move ``cap_case`` to ``to_stage``, and if not, why.

    Returns ``(allowed, reason)``; the reason is empty when allowed.
    """
    transition = transition_between(cap_case.stage, to_stage)
    if transition is None:
        return False, str(
            _("A CAP case cannot move from '%(source)s' to '%(target)s'.")
            % {"source": S(cap_case.stage).label, "target": _stage_label(to_stage)}
        )
    return may_take(user, cap_case, transition.action)


def _stage_label(value: str) -> str:
    return str(S(value).label) if value in S.values else value


# --- Review of results ---------------------------------------------------------------------------


# A result recorded by a Party's focal point or a case manager waits for a case manager's review;
# the review is kept on the record (``reviewed_by``, ``reviewed_at``, ``review_comment``).
RESULT_REVIEW = Workflow(
    model="cases.Result",
    field="review_status",
    transitions=review_transitions(accepted=N.RESULT_ACCEPTED, returned=N.RESULT_RETURNED),
    record=record_review,
    state_field="review_status",
    role_message=_("Only a Secretariat case manager reviews results."),
    state_message=_("This result is %(status)s already."),
    comment_message=_("Say why: the comment is sent back with the result."),
)
