"""A record that should belong to a Party but has none: the workflow engine asks the policy with
``NO_PARTY``, for which only the global (Secretariat) roles hold, never a Party role."""

import pytest

from cap_portal.access import NO_PARTY, PLANNER_ROLES, holds_role
from cap_portal.workflow import holds_step_role, may_take, workflow_for
from workplans.models import Workplan

pytestmark = pytest.mark.django_db


def test_no_party_is_held_by_global_roles_only(world):
    """``NO_PARTY`` is not "any Party" (``None``) nor some Party's id: the focal point who plans
    for Togo holds the planner roles for Togo and for some Party, not for no Party."""
    case_manager, focal_point = world.users["case_manager"], world.users["ma_focal_point"]
    assert holds_role(focal_point, PLANNER_ROLES, world.own.pk)
    assert holds_role(focal_point, PLANNER_ROLES, None)
    assert not holds_role(focal_point, PLANNER_ROLES, world.other.pk)
    assert not holds_role(focal_point, PLANNER_ROLES, NO_PARTY)
    assert holds_role(case_manager, PLANNER_ROLES, NO_PARTY)
    assert not holds_role(None, PLANNER_ROLES, NO_PARTY)


def test_a_step_on_a_record_without_its_party_is_the_secretariats_only(world):
    """A workplan not yet under a CAP case has no Party: the focal point may not submit it, the
    case manager may (a global role holds for every record)."""
    submit = workflow_for(Workplan).get("submit")
    case_manager, focal_point = world.users["case_manager"], world.users["ma_focal_point"]
    assert submit.roles & PLANNER_ROLES
    orphan = Workplan()
    assert not holds_step_role(focal_point, submit, orphan)
    assert may_take(focal_point, orphan, "submit")[0] is False
    assert holds_step_role(case_manager, submit, orphan)
