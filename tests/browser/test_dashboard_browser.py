"""Issue 7 in a real browser: the case manager's dashboard and workplan approval, a focal point
reporting progress and kept out of another Party, the SC report rendered to PDF, the French UI."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sampledata.demo import DEMO_PASSWORD
from workplans.choices import WorkplanStatus
from workplans.models import Workplan

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def portfolio():
    call_command("load_sample_data", verbosity=0)


def submitted_revision(code: str) -> Workplan:
    """A revision of the Party's approved workplan, submitted by its MA focal point."""
    from workplans.services import workplan_transition

    users = get_user_model().objects
    approved = Workplan.objects.get(cap_case__party__code=code, status=WorkplanStatus.APPROVED)
    draft = workplan_transition(
        workplan=approved,
        action="revise",
        user=users.get(username="casemanager"),
        comment="",
        reason="delays",
    )
    return workplan_transition(
        workplan=draft, action="submit", user=users.get(username="ma.togo"), comment=""
    )


def test_case_manager_dashboard_party_and_approval(page, portfolio):
    """The case manager opens the dashboard, a Party, and approves a submitted workplan from the
    "needs attention" list."""
    workplan = submitted_revision("TG")
    login(page, "casemanager", DEMO_PASSWORD)
    assert page.get_by_role("heading", name="Portfolio dashboard").is_visible()
    table = page.locator("#portfolio-table")
    assert "Viet Nam" in table.inner_text() and "Togo" in table.inner_text()
    page.wait_for_function("document.querySelector('#chart-activities').width > 0")
    page.shot("dashboard")

    page.locator('#portfolio-table tr[data-party="TG"] td').first.get_by_role(
        "link", name="Togo", exact=True
    ).click()
    assert page.get_by_role("heading", name=re.compile("Togo")).first.is_visible()
    assert page.locator("#feed").is_visible()
    page.shot("cap-case")
    page.get_by_role("link", name="Compliance picture on the Party page").click()
    page.wait_for_url(page.base_url + "/parties/TG/")
    page.get_by_role("heading", name="Togo TG").wait_for()  # a loaded machine renders slowly
    assert page.get_by_role("heading", name="Togo TG").is_visible()
    page.shot("party")

    page.goto(page.base_url + "/")
    page.locator(".attention-workplan_submitted").get_by_role("link").first.click()
    page.wait_for_url(page.base_url + workplan.get_absolute_url())
    page.shot("submitted-workplan")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve", exact=True).click()
    assert page.get_by_text("Approve done").is_visible()
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.APPROVED
    page.shot("approved")


def test_focal_point_reports_progress_and_cannot_open_another_party(page, portfolio):
    activity = Workplan.objects.get(
        cap_case__party__code="TG", status=WorkplanStatus.APPROVED
    ).activities.first()
    login(page, "ma.togo", DEMO_PASSWORD)
    assert page.get_by_role("heading", name="Your Parties").is_visible()
    page.shot("home")
    page.goto(page.base_url + f"/workplans/activities/{activity.pk}/progress/add/")
    page.get_by_label("Period start").fill("2024-01-01")
    page.get_by_label("Period end").fill("2024-06-30")
    page.get_by_label("Activity status").select_option("completed")
    page.get_by_label("Percent complete").fill("100")
    page.get_by_label("Narrative").fill("Training delivered to 24 officers.")
    page.shot("progress-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert activity.progress_updates.filter(narrative__startswith="Training delivered").exists()
    page.shot("progress-saved")

    nigeria = Workplan.objects.get(cap_case__party__code="NG", status=WorkplanStatus.APPROVED).cap_case
    response = page.goto(page.base_url + nigeria.get_absolute_url())
    assert response.status == 404
    page.shot("other-party-404")


def test_case_manager_renders_the_sc_report(page, portfolio):
    from reports.models import Report

    report = Report.objects.first()
    login(page, "casemanager", DEMO_PASSWORD)
    page.goto(page.base_url + report.get_absolute_url())
    page.shot("report")
    page.get_by_role("button", name="Render PDF and DOCX").click()
    bar = page.locator("[data-render-progress] .progress-bar")
    bar.wait_for(state="visible", timeout=120_000)
    page.shot("progress")
    download = page.locator("[data-render-result]").get_by_role("link", name="Download PDF")
    download.wait_for(timeout=120_000)
    assert bar.inner_text() == "100%"
    page.shot("rendered")
    response = page.context.request.get(page.base_url + download.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")


def test_french_ui(page, portfolio):
    """Switching to French shows French, and the choice is remembered for the next sign-in."""
    login(page, "viewer", DEMO_PASSWORD)
    with page.expect_navigation():  # the switcher submits itself (static/js/portal.js)
        page.get_by_label("Language").select_option("fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.shot("french-dashboard")
    page.locator("#account-menu").click()  # sign-out is in the account menu
    with page.expect_navigation():
        page.locator("form[action='/logout/'] button").click()
    page.context.clear_cookies()
    page.goto(page.base_url + "/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#id_login").fill("viewer")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "fr"  # the preferred language, at sign-in
    page.locator("#account-menu").click()  # sign-out is in the account menu
    with page.expect_navigation():
        page.locator("form[action='/logout/'] button").click()
    page.goto(page.base_url + "/login/")
    # The portal's own catalogue (accounts/signin.py), not allauth's "ou e-mail".
    assert page.get_by_text("Nom d'utilisateur ou adresse électronique").is_visible()
    page.shot("french-login")
