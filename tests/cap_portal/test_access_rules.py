"""The named rules of cap_portal/access.py that modules use instead of testing roles themselves:
which roles are global, Party- or donor-scoped (RoleAssignment.clean), who holds a role
(users_holding: the case managers a CAP case may be given to), "my Parties", who sees the
portfolio dashboard, and the {% may %} / {% can %} template tags."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from cap_portal import access
from cap_portal.access import (
    CASE_MANAGER_ROLES,
    MA_ROLES,
    Role,
    party_ids_held,
    sees_portfolio_dashboard,
    users_holding,
)
from cases.filtersets import CapCaseFilterSet
from cases.forms import CapCaseForm
from parties.models import RoleAssignment
from parties.services import role_assign, user_create
from tests.workplans.factories import make_workplan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "scope", "error_field"),
    [
        (Role.MA_FOCAL_POINT, {}, "party"),
        (Role.SA_FOCAL_POINT, {}, "party"),
        (Role.CASE_MANAGER, {"party": "own"}, "party"),
        (Role.SECRETARIAT_VIEWER, {"party": "own"}, "party"),
        (Role.DONOR_OBSERVER, {}, "donor"),
        (Role.CASE_MANAGER, {"donor": True}, "donor"),
        (Role.MA_FOCAL_POINT, {"party": "own", "donor": True}, "donor"),
    ],
)
def test_role_assignment_scope_is_checked(world, role, scope, error_field):
    """A focal point role needs a Party, a Secretariat role takes none, a donor observer needs a
    donor and no other role takes one: the field at fault is named."""
    assignment = RoleAssignment(
        user=world.users["case_manager"],
        role=role,
        party=world.own if scope.get("party") else None,
        donor=world.donor if scope.get("donor") else None,
    )
    with pytest.raises(ValidationError) as raised:
        assignment.clean()
    assert error_field in raised.value.message_dict


@pytest.mark.parametrize(
    ("role", "party", "donor"),
    [
        (Role.CASE_MANAGER, False, False),
        (Role.SECRETARIAT_VIEWER, False, False),
        (Role.MA_FOCAL_POINT, True, False),
        (Role.SA_FOCAL_POINT, True, False),
        (Role.DONOR_OBSERVER, False, True),
    ],
)
def test_role_assignment_in_its_scope_is_valid(world, role, party, donor):
    """Each role held in its own scope passes."""
    RoleAssignment(
        user=world.users["case_manager"],
        role=role,
        party=world.own if party else None,
        donor=world.donor if donor else None,
    ).clean()


def test_users_holding_lists_global_holders_once(world):
    """users_holding() gives the users holding the roles globally, each once; a superuser with no
    assignment and focal points are not among the case managers."""
    second = user_create(username="cm2", password="pw")
    role_assign(user=second, role=Role.CASE_MANAGER)
    role_assign(user=second, role=Role.SECRETARIAT_VIEWER)
    root = user_create(username="root", password="pw")
    root.is_superuser = True
    root.save()
    managers = users_holding(CASE_MANAGER_ROLES)
    assert sorted(u.username for u in managers) == ["case_manager", "cm2"]
    secretariat = users_holding(access.SECRETARIAT_ROLES)
    assert sorted(u.username for u in secretariat) == ["case_manager", "cm2", "secretariat_viewer"]
    assert not users_holding(MA_ROLES).exists()  # focal points hold their role for a Party


def test_cap_case_form_and_filter_offer_case_managers_only(world):
    """A CAP case is given to, and filtered by, the Secretariat's case managers only."""
    form = CapCaseForm(user=world.users["case_manager"])
    assert [u.username for u in form.fields["case_manager"].queryset] == ["case_manager"]
    request = RequestFactory().get("/")
    request.user = world.users["case_manager"]
    filterset = CapCaseFilterSet({}, request=request)
    assert [u.username for u in filterset.filters["case_manager"].get_queryset(request)] == ["case_manager"]


@pytest.mark.parametrize(
    ("role", "sees", "own"),
    [
        ("case_manager", True, False),
        ("secretariat_viewer", True, False),
        ("ma_focal_point", False, True),
        ("sa_focal_point", False, True),
        ("donor_observer", False, False),
        ("anonymous", False, False),
    ],
)
def test_dashboard_and_own_parties_by_role(world, role, sees, own):
    """The Secretariat sees the portfolio dashboard; focal points hold their own Party."""
    from django.contrib.auth.models import AnonymousUser

    user = world.users[role] or AnonymousUser()
    assert sees_portfolio_dashboard(user) is sees
    assert party_ids_held(user) == (frozenset({world.own.pk}) if own else frozenset())


def test_party_ids_held_by_role_set(world):
    """party_ids_held() narrows to the roles asked for."""
    assert party_ids_held(world.users["ma_focal_point"], MA_ROLES) == {world.own.pk}
    assert party_ids_held(world.users["sa_focal_point"], MA_ROLES) == frozenset()


# may add a workplan, can change the own Party's plan, can change another Party's plan.
TAG_ANSWERS = {
    "case_manager": [True, True, True],
    "secretariat_viewer": [False, False, False],
    "ma_focal_point": [True, True, False],
    "donor_observer": [False, False, False],
}


@pytest.mark.parametrize("role", sorted(TAG_ANSWERS))
def test_template_tags_ask_the_policy(world, role):
    """{% may %} answers the model-level question, {% can %} the object-level one, as the policy."""
    from workplans.models import Workplan

    own_plan, other_plan = make_workplan(world.own), make_workplan(world.other)
    request = RequestFactory().get("/")
    request.user = world.users[role]
    html = Template(
        "{% load cap_access %}"
        '{% may "add" "workplans.Workplan" as a %}{% can "change" own as b %}{% can "change" other as c %}'
        "{{ a }} {{ b }} {{ c }}"
    ).render(Context({"request": request, "own": own_plan, "other": other_plan}))
    policy = Workplan.access_policy
    user = world.users[role]
    expected = [
        policy.allows(user, "add"),
        policy.permits(user, "change", own_plan),
        policy.permits(user, "change", other_plan),
    ]
    assert html.split() == [str(v) for v in expected]
    assert expected == TAG_ANSWERS[role]
