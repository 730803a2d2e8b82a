"""AccessPolicy.public_q (cap_portal/access.py): objects matching it are visible to every
signed-in user; the roles in ``view`` still see everything; other actions are untouched."""

import pytest
from django.db.models import Q

from cap_portal.access import AccessPolicy, Action, Role
from reports.models import Report

from .conftest import make_report
from .test_reports_api import finalise

pytestmark = pytest.mark.django_db

POLICY = AccessPolicy(
    party_path=None,
    view=frozenset({Role.CASE_MANAGER, Role.SECRETARIAT_VIEWER}),
    change=frozenset({Role.CASE_MANAGER}),
    public_q=Q(status="final"),
)


@pytest.mark.parametrize(
    "role, sees_draft",
    [
        ("case_manager", True),
        ("secretariat_viewer", True),
        ("ma_focal_point", False),
        ("sa_focal_point", False),
        ("donor_observer", False),
    ],
)
def test_public_q_shows_matching_objects_to_every_signed_in_user(role, sees_draft, world):
    draft = make_report([world.own])
    final = finalise(make_report([world.own], symbol="SC77 Doc. 24"))
    user = world.users[role]
    assert POLICY.allows(user, Action.VIEW)
    visible = set(Report.objects.filter(POLICY.q(user, Action.VIEW)))
    assert visible == ({draft, final} if sees_draft else {final})
    assert POLICY.permits(user, Action.VIEW, final)
    assert POLICY.permits(user, Action.VIEW, draft) is sees_draft


def test_public_q_grants_nothing_but_viewing(world):
    final = finalise(make_report([world.own]))
    viewer = world.users["ma_focal_point"]
    assert not POLICY.allows(viewer, Action.CHANGE)
    assert POLICY.q(viewer, Action.CHANGE) is None
    assert not POLICY.permits(viewer, Action.CHANGE, final)


def test_anonymous_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    finalise(make_report([world.own]))
    assert not POLICY.allows(AnonymousUser(), Action.VIEW)
    assert POLICY.q(AnonymousUser(), Action.VIEW) is None


def test_without_public_q_a_global_policy_hides_everything_from_party_roles(world):
    """Backwards compatible: party_path=None and no public_q keeps Party roles out (403)."""
    closed = AccessPolicy(party_path=None, view=frozenset({Role.CASE_MANAGER}))
    assert not closed.allows(world.users["ma_focal_point"], Action.VIEW)
    assert closed.q(world.users["ma_focal_point"], Action.VIEW) is None
