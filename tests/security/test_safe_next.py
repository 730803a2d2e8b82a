"""Redirects after a form follow ``next`` (or ``return_url``) only to this site: an off-site or
scheme-relative target falls back to the page's own URL (no open redirect)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from cap_portal.views import safe_next
from tests.workplans.factories import (
    DeliverableFactory,
    ProgressUpdateFactory,
    approved_activity,
    cap_case_for,
)

pytestmark = pytest.mark.django_db

OFF_SITE = ["https://evil.example/", "//evil.example/", "http://evil.example/x", "javascript:alert(1)"]


@pytest.fixture
def update(world):
    return ProgressUpdateFactory(
        activity=approved_activity(world.own), submitted_by=world.users["ma_focal_point"]
    )


@pytest.mark.parametrize("target", OFF_SITE)
def test_review_does_not_follow_an_off_site_next(world, client, update, target):
    """A case manager reviewing a progress update with next=<another site> lands on the workplan."""
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("workplans:progress_review", kwargs={"pk": update.pk}), {"decision": "accept", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == update.get_absolute_url()


def test_review_follows_a_local_next(world, client, update):
    """A local next (the page the review form was on) is still honoured."""
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("workplans:progress_review", kwargs={"pk": update.pk}),
        {"decision": "accept", "next": "/workplans/my-work/?tab=2"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/workplans/my-work/?tab=2"


def test_deliverable_review_does_not_follow_an_off_site_next(world, client):
    """The deliverable review falls back to "my work" when next points off-site."""
    deliverable = DeliverableFactory(cap_case=cap_case_for(world.own))
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("workplans:deliverable_review", kwargs={"pk": deliverable.pk}),
        {"decision": "accept", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workplans:my_work")


@pytest.mark.parametrize("target", ["https://evil.example/", "javascript:alert(1)"])
def test_create_page_cancel_link_stays_on_site(world, client, target):
    """The Cancel link of a create page follows return_url only when it is local."""
    client.force_login(world.users["case_manager"])
    page = client.get(reverse("parties:party_add"), {"return_url": target})
    assert page.status_code == 200
    assert page.context["cancel_url"] == "/"
    assert target not in page.content.decode()


def test_create_page_cancel_link_follows_a_local_return_url(world, client):
    """A local return_url is still the Cancel link of a create page."""
    client.force_login(world.users["case_manager"])
    page = client.get(reverse("parties:party_add"), {"return_url": "/parties/?region=africa"})
    assert page.context["cancel_url"] == "/parties/?region=africa"


@pytest.mark.parametrize(
    ("secure", "target", "expected"),
    [
        (False, "/parties/", "/parties/"),
        (False, "http://testserver/parties/", "http://testserver/parties/"),
        (True, "http://testserver/parties/", "/fallback/"),  # no downgrade from HTTPS
        (False, "https://evil.example/", "/fallback/"),
        (False, "", "/fallback/"),
    ],
)
def test_safe_next_accepts_only_this_host(secure, target, expected):
    """safe_next answers the given target when it is on this host (and not a downgrade to HTTP
    from HTTPS), else the fallback."""
    request = RequestFactory().post("/x/", {"next": target}, secure=secure)
    assert safe_next(request, "/fallback/") == expected


def test_login_does_not_follow_an_off_site_next(world, client):
    """Signing in with next=<another site> lands on the home page (Django's LoginView checks the
    host; this pins it should the view be replaced)."""
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"login": "case_manager", "password": "pw-case_manager", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_language_switch_does_not_follow_an_off_site_next(world, client):
    """The language switch in the menu bar sends the user back on this site only."""
    client.force_login(world.users["case_manager"])
    response = client.post(reverse("set_language"), {"language": "fr", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")
