"""The workplan workflow, declared as data.

A workplan version goes draft → submitted → approved; a submitted version may be returned (with a
comment) and submitted again; an approved version may be revised, which creates a new draft version
(the approved one stays in force until the new one is approved, and is then superseded). Every step
is taken through :func:`workplans.services.workplan_transition`, which reads this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cap_portal.access import Role, get_user_roles

from .choices import WorkplanAction as A
from .choices import WorkplanStatus as S


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    comment_required: bool = False
    reason_required: bool = False
    # The step makes a new version (in ``target``) and leaves the source as it is.
    creates_version: bool = False

    @property
    def label(self) -> str:
        return A(self.action).label


PLANNERS = frozenset({Role.CASE_MANAGER, Role.MA_FOCAL_POINT})
CASE_MANAGER_ONLY = frozenset({Role.CASE_MANAGER})

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(A.SUBMIT, frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, PLANNERS),
        Transition(A.APPROVE, frozenset({S.SUBMITTED}), S.APPROVED, CASE_MANAGER_ONLY),
        Transition(A.RETURN, frozenset({S.SUBMITTED}), S.RETURNED, CASE_MANAGER_ONLY, comment_required=True),
        Transition(
            A.REVISE, frozenset({S.APPROVED}), S.DRAFT, PLANNERS, reason_required=True, creates_version=True
        ),
    ]
}

# The states in which a version's plan (its activities, milestones and indicators) may be edited.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})


def holds_role_for(user, roles, party_id) -> bool:
    """Whether the user holds one of ``roles`` globally or for the Party ``party_id``."""
    held = get_user_roles(user)
    if held.global_roles & roles:
        return True
    return party_id in held.parties_for(roles & {Role.MA_FOCAL_POINT, Role.SA_FOCAL_POINT})


def may_take(user, workplan, action: str) -> tuple[bool, str]:
    """Whether the user's roles let them take ``action`` on this workplan at all, and why not."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        return False, str(_("Unknown workflow action."))
    if not holds_role_for(user, transition.roles, workplan.cap_case.party_id):
        return False, str(_("Your role may not take this step."))
    return True, ""


def available_actions(user, workplan) -> list[Transition]:
    """The steps the user may take on this version now (for buttons; the service re-checks)."""
    return [
        t
        for t in TRANSITIONS.values()
        if workplan.status in t.sources and may_take(user, workplan, t.action)[0]
    ]
