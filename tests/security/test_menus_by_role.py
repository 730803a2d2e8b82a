"""Who sees which menu entry, which home page and which button, per role. The menus, the home page
and the review buttons are drawn from the access policy (cap_portal/access.py); these expectations
are the ones the portal had when the templates still read the roles themselves."""

import pytest
from django.urls import reverse

from tests.workplans.factories import (
    DeliverableFactory,
    ProgressUpdateFactory,
    approved_activity,
    cap_case_for,
)

pytestmark = pytest.mark.django_db

ROLES = ["case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"]

# Menu entry (its URL) → the roles that see it.
MENU = {
    "parties:party_list": set(ROLES),
    "cases:capcase_list": {"case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point"},
    "cases:selection_board": {"case_manager", "secretariat_viewer"},
    "cases:recommendation_list": {"case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point"},
    "workplans:workplan_list": set(ROLES),
    "budgets:absorption": set(ROLES),
    "reports:report_list": set(ROLES),
}


@pytest.mark.parametrize("role", ROLES)
def test_menu_entries_by_role(world, client, role):
    """Each role sees exactly the menu entries of the table above."""
    client.force_login(world.users[role])
    page = client.get(reverse("parties:party_list")).content.decode()
    nav = page[page.index('<ul class="navbar-nav') : page.index("</ul>")]
    shown = {name for name in MENU if f'href="{reverse(name)}"' in nav}
    assert shown == {name for name, roles in MENU.items() if role in roles}


def test_menu_of_a_user_without_roles(world, client):
    """A signed-in user who holds no role sees the public entries only."""
    from parties.services import user_create

    client.force_login(user_create(username="nobody", password="pw-nobody"))
    page = client.get(reverse("parties:party_list")).content.decode()
    nav = page[page.index('<ul class="navbar-nav') : page.index("</ul>")]
    for name in ("cases:capcase_list", "cases:selection_board", "workplans:workplan_list"):
        assert f'href="{reverse(name)}"' not in nav


@pytest.mark.parametrize(
    ("role", "template"),
    [
        ("case_manager", "portfolio/dashboard.html"),
        ("secretariat_viewer", "portfolio/dashboard.html"),
        ("ma_focal_point", "portfolio/my_party.html"),
        ("sa_focal_point", "portfolio/my_party.html"),
        ("donor_observer", "statements/donor_home.html"),  # what its donor funds (issue 14.13)
    ],
)
def test_home_page_by_role(world, client, role, template):
    """The Secretariat's home is the portfolio dashboard; a donor observer's what its donor funds;
    the focal points' "my Party"."""
    client.force_login(world.users[role])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]


def test_my_party_lists_own_parties_only(world, client):
    """A focal point's home lists the Parties they hold a role for, not the others."""
    client.force_login(world.users["ma_focal_point"])
    response = client.get(reverse("home"))
    assert list(response.context["own_parties"]) == [world.own]


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_export_is_the_secretariat_s(world, client, role):
    """Only the Secretariat gets the portfolio export from the home page."""
    client.force_login(world.users[role])
    response = client.get(reverse("home"), {"export": "csv"})
    secretariat = role in ("case_manager", "secretariat_viewer")
    assert response.get("Content-Type", "").startswith("text/csv") == secretariat


@pytest.mark.parametrize("role", ROLES)
def test_party_page_flags_own_party(world, client, role):
    """The Party page says "Your Party" to the focal points of that Party only."""
    client.force_login(world.users[role])
    own = client.get(reverse("parties:party_detail", kwargs={"code": "TG"}))
    other = client.get(reverse("parties:party_detail", kwargs={"code": "NG"}))
    assert own.context["is_own_party"] == (role in ("ma_focal_point", "sa_focal_point"))
    assert other.context["is_own_party"] is False


@pytest.mark.parametrize("role", ROLES)
def test_review_buttons_by_role(world, client, role):
    """The accept/return buttons of submitted progress updates and deliverables are shown to case
    managers only."""
    activity = approved_activity(world.own)
    ProgressUpdateFactory(activity=activity, submitted_by=world.users["ma_focal_point"])
    deliverable = DeliverableFactory(cap_case=cap_case_for(world.own), original_name="a.pdf")
    deliverable.file.name = "matrix-probe/deliverable.pdf"
    deliverable.save(update_fields=["file"])
    client.force_login(world.users[role])
    response = client.get(activity.workplan.get_absolute_url())
    if role == "donor_observer":  # their donor funds no such plan: they do not see it
        assert response.status_code == 404
        return
    assert response.status_code == 200
    page = response.content.decode()
    review_urls = [
        reverse("workplans:progress_review", kwargs={"pk": activity.progress_updates.get().pk}),
        reverse("workplans:deliverable_review", kwargs={"pk": deliverable.pk}),
    ]
    for url in review_urls:
        assert (url in page) == (role == "case_manager"), url


@pytest.mark.parametrize("role", ROLES)
def test_comment_visibility_choice_by_role(world, client, role):
    """Only the Secretariat is offered the internal/shared choice when commenting on a CAP case."""
    cap_case = cap_case_for(world.own)
    client.force_login(world.users[role])
    response = client.get(cap_case.get_absolute_url())
    if response.status_code != 200:
        assert role == "donor_observer"
        return
    page = response.content.decode()
    assert ('name="visibility"' in page and 'value="internal"' in page) == (role == "case_manager")
