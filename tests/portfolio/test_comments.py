"""Comments on CAP cases, workplans and activities: internal ones for the Secretariat only,
shared ones for the Party's focal points too; the activity feed; preferred language."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases.models import CapCase
from portfolio.feed import case_feed
from portfolio.models.comments import Comment, CommentVisibility, comment_post
from portfolio.preferences import preferred_language
from tests.workplans.factories import ActivityFactory, make_workplan


@pytest.fixture
def cases(world):
    own = CapCase.objects.create(party=world.own)
    other = CapCase.objects.create(party=world.other)
    return own, other


def _post(world, target, visibility, role="case_manager", body="Note"):
    return comment_post(target=target, body=body, visibility=visibility, user=world.users[role])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, internal, shared_own, shared_other",
    [
        ("case_manager", True, True, True),
        ("secretariat_viewer", True, True, True),
        ("ma_focal_point", False, True, False),
        ("sa_focal_point", False, True, False),
        ("donor_observer", False, False, False),
    ],
)
def test_comment_visibility_per_role(world, cases, role, internal, shared_own, shared_other):
    own, other = cases
    workplan = make_workplan(world.own)
    activity = ActivityFactory(workplan=workplan)
    hidden = _post(world, own, CommentVisibility.INTERNAL)
    on_activity = _post(world, activity, CommentVisibility.SHARED)
    on_other = _post(world, other, CommentVisibility.SHARED)
    visible = set(Comment.objects.restrict(world.users[role]))
    assert (hidden in visible, on_activity in visible, on_other in visible) == (
        internal,
        shared_own,
        shared_other,
    )
    assert on_activity.cap_case == own  # placed in its case's feed


@pytest.mark.django_db
def test_focal_points_post_shared_comments_on_their_own_party_only(world, cases):
    own, other = cases
    comment = _post(world, own, CommentVisibility.SHARED, role="ma_focal_point")
    assert comment.author == world.users["ma_focal_point"]
    with pytest.raises(ValidationError) as error:
        _post(world, own, CommentVisibility.INTERNAL, role="sa_focal_point")
    assert "visibility" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        _post(world, other, CommentVisibility.SHARED, role="ma_focal_point")
    with pytest.raises(PermissionDenied):
        _post(world, own, CommentVisibility.SHARED, role="secretariat_viewer")


@pytest.mark.django_db
def test_comment_form_and_feed_on_the_cap_case_page(world, cases, client):
    own, other = cases
    workplan = make_workplan(world.own)
    client.force_login(world.users["case_manager"])
    url = reverse("portfolio:comment_add", kwargs={"pk": own.pk})
    response = client.post(
        url, {"about": f"workplan:{workplan.pk}", "body": "Check the budget", "visibility": "internal"}
    )
    assert response.status_code == 302
    page = client.get(own.get_absolute_url()).content.decode()
    assert "Check the budget" in page and 'id="comment-form"' in page
    # A target of another case is refused with a message; an empty body too.
    other_plan = make_workplan(world.other)
    client.post(url, {"about": f"workplan:{other_plan.pk}", "body": "x"})
    client.post(url, {"about": f"capcase:{own.pk}", "body": "  "})
    assert Comment.objects.count() == 1
    # The focal point does not see the internal comment, and posts a shared one.
    client.force_login(world.users["ma_focal_point"])
    page = client.get(own.get_absolute_url()).content.decode()
    assert "Check the budget" not in page and 'name="visibility" value="shared"' in page
    client.post(url, {"about": f"capcase:{own.pk}", "body": "Workshop held", "visibility": "internal"})
    assert not Comment.objects.filter(body="Workshop held").exists()
    client.post(url, {"about": f"capcase:{own.pk}", "body": "Workshop held"})
    assert Comment.objects.get(body="Workshop held").visibility == CommentVisibility.SHARED
    other_url = reverse("portfolio:comment_add", kwargs={"pk": other.pk})
    assert client.post(other_url, {"body": "x"}).status_code == 404


@pytest.mark.django_db
def test_feed_holds_comments_workflow_steps_and_transitions(world, cases):
    from cases.services import cap_case_transition
    from workplans.services import workplan_transition

    own, _other = cases
    user = world.users["case_manager"]
    workplan = make_workplan(world.own)
    ActivityFactory(workplan=workplan)
    workplan_transition(workplan=workplan, action="submit", user=world.users["ma_focal_point"], comment="")
    _post(world, own, CommentVisibility.INTERNAL, body="Internal note")
    cap_case_transition(cap_case=own, to_stage="long_list", reason="Desk review", user=user)
    kinds = [e.kind for e in case_feed(own, user)]
    assert {"comment", "step", "transition"} <= set(kinds)
    assert [e.kind for e in case_feed(own, world.users["ma_focal_point"])].count("comment") == 0


@pytest.mark.django_db
def test_preferred_language_applied_at_sign_in_and_remembered_on_switch(world, client):
    user = world.users["ma_focal_point"]
    client.post(reverse("login"), {"login": "ma_focal_point", "password": "pw-ma_focal_point"})
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert preferred_language(user) == "fr"
    client.post(reverse("logout"))
    client.cookies.clear()
    response = client.post(reverse("login"), {"login": "ma_focal_point", "password": "pw-ma_focal_point"})
    assert response.cookies["django_language"].value == "fr"
    assert client.get(reverse("home")).content.decode().count('lang="fr"') == 1
