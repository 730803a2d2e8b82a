"""The CAP case workflow, declared as data: which stage may follow which, and who may move it.

The one entry point that changes a stage is :func:`cases.services.cap_case_transition`; it asks
:func:`can_transition` first. Adding a step to the programme means adding a row here, not a branch
in a view.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cap_portal.access import Role, get_user_roles

from .choices import CapStage as S


@dataclass(frozen=True)
class StageTransition:
    """One allowed move of a CAP case, and the (global) roles that may take it."""

    source: str
    target: str
    roles: frozenset
    label: str


CASE_MANAGERS = frozenset({Role.CASE_MANAGER})

TRANSITIONS: tuple[StageTransition, ...] = (
    StageTransition(S.CANDIDATE, S.LONG_LIST, CASE_MANAGERS, _("Put on the long list")),
    StageTransition(S.LONG_LIST, S.SHORT_LIST, CASE_MANAGERS, _("Put on the short list")),
    StageTransition(S.SHORT_LIST, S.SELECTED, CASE_MANAGERS, _("Select")),
    StageTransition(S.CANDIDATE, S.NOT_SELECTED, CASE_MANAGERS, _("Do not select")),
    StageTransition(S.LONG_LIST, S.NOT_SELECTED, CASE_MANAGERS, _("Do not select")),
    StageTransition(S.SHORT_LIST, S.NOT_SELECTED, CASE_MANAGERS, _("Do not select")),
    StageTransition(S.NOT_SELECTED, S.CANDIDATE, CASE_MANAGERS, _("Reconsider as a candidate")),
    StageTransition(S.SELECTED, S.IN_IMPLEMENTATION, CASE_MANAGERS, _("Start implementation")),
    StageTransition(S.IN_IMPLEMENTATION, S.CLOSING, CASE_MANAGERS, _("Start closing")),
    StageTransition(S.CLOSING, S.IN_IMPLEMENTATION, CASE_MANAGERS, _("Resume implementation")),
    StageTransition(S.CLOSING, S.CLOSED, CASE_MANAGERS, _("Close")),
)


def transition_between(source: str, target: str) -> StageTransition | None:
    """The declared transition from ``source`` to ``target``, or None when the table has none."""
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def transitions_from(source: str) -> list[StageTransition]:
    return [t for t in TRANSITIONS if t.source == source]


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
    if not get_user_roles(user).global_roles & transition.roles:
        return False, str(_("Only a Secretariat case manager may take this step."))
    return True, ""


def _stage_label(value: str) -> str:
    return str(S(value).label) if value in S.values else value
