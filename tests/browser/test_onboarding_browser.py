"""Issue 20 in a real browser: the case manager invites a focal point for Togo; the person opens
the link from the e-mail in a browser of their own, chooses a password, is signed in and sees
Togo's workplan; the case manager then ends the role and the person sees nothing of it."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from parties.models import RoleAssignment

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LINK = re.compile(r"https?://\S+/people/invitations/accept/[^/\s]+/")
PASSWORD = "Atakpame-Savanes-2026!"


@pytest.fixture
def portfolio():
    from django.core.management import call_command

    call_command("load_sample_data", verbosity=0)


def test_case_manager_onboards_a_focal_point_then_ends_the_role(page, browser, portfolio, settings):
    from sampledata.demo import DEMO_PASSWORD

    settings.PORTAL_URL = page.base_url
    login(page, "casemanager", DEMO_PASSWORD)

    # The case manager invites a new MA focal point for Togo.
    page.goto(page.base_url + reverse("people:person_list"))
    page.get_by_role("link", name="Invite a person").click()
    page.get_by_label("E-mail address").fill("yao.kodjo@environnement.tg")
    page.get_by_label("First name").fill("Yao")
    page.get_by_label("Last name").fill("Kodjo")
    assert not page.get_by_label("Party").is_visible()  # shown only for a role that needs it
    page.get_by_label("Role").select_option(label="Management Authority focal point")
    assert page.get_by_label("Party").is_visible()
    page.get_by_label("Party").select_option(label="Togo")
    page.shot("invite")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    assert page.get_by_text("The invitation was sent to yao.kodjo@environnement.tg").is_visible()
    page.shot("invitation-sent")

    # The person opens the link from the e-mail in their own browser.
    (message,) = mail.outbox
    link = LINK.search(message.body).group(0)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        invitee = context.new_page()
        invitee.set_default_timeout(15_000)
        invitee.goto(link)
        assert invitee.get_by_text("Management Authority focal point").first.is_visible()
        invitee.get_by_label("Username").fill("yao.kodjo")
        invitee.locator("#id_password").fill(PASSWORD)
        invitee.get_by_label("Password (again)").fill(PASSWORD)
        with invitee.expect_navigation():
            invitee.get_by_role("button", name="Create my account").click()
        assert invitee.url == page.base_url + "/"
        assert invitee.get_by_text("Welcome to the CAP Portal").is_visible()
        page.shot("invitation-accepted")

        response = invitee.goto(page.base_url + reverse("workplans:workplan_list"))
        assert response.status == 200
        parties = invitee.locator("table tbody tr td:first-child").all_inner_texts()
        assert parties and set(parties) == {"Togo"}
        assert Invitation.objects.get().accepted_by.username == "yao.kodjo"

        # The case manager ends the role today, on the person's page.
        page.goto(page.base_url + reverse("people:person_list") + "?q=yao.kodjo")
        page.get_by_role("link", name="Yao Kodjo").click()
        page.locator("#current-roles").get_by_label("Role ends on").fill(timezone.localdate().isoformat())
        with page.expect_navigation():
            page.locator("#current-roles").get_by_role("button", name="End").click()
        assert page.get_by_text("This person holds no role today").is_visible()
        page.shot("role-ended")
        assert not RoleAssignment.objects.current().filter(user__username="yao.kodjo").exists()

        # The person sees nothing of Togo's workplans any more.
        response = invitee.goto(page.base_url + reverse("workplans:workplan_list"))
        assert response.status == 403
        invitee.goto(page.base_url + "/")
        assert invitee.get_by_role("link", name="Workplans").count() == 0
    finally:
        context.close()
