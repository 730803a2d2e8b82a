"""Who must act is told, and can act (issue 18, "Done when"), in a real browser: the Togo focal
point submits a workplan version; it reaches the case manager's to-do list and inbox at once; the
case manager returns it with a comment, which reaches the focal point's home page and inbox."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from parties.models import Party
from sampledata.demo import DEMO_PASSWORD
from tests.workplans.factories import ActivityFactory, make_workplan

from .conftest import _shooter, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COMMENT = "Add the budget of the NDF workshop before resubmitting."


@pytest.fixture
def draft():
    call_command("load_sample_data")
    togo = Party.objects.get(code="TG")
    workplan = make_workplan(togo, title="Togo CAP workplan, revision for the browser test")
    ActivityFactory(workplan=workplan, code="X1", title="Train customs officers at Lomé port")
    cap_case = workplan.cap_case
    cap_case.case_manager = get_user_model().objects.get(username="casemanager")
    cap_case.save()
    return workplan


def person(browser, live_server, request, who):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    page.shot = _shooter(page, f"{request.node.name}-{who}")
    return page


def test_a_submission_and_a_return_reach_who_must_act(browser, live_server, request, draft):
    focal_point = person(browser, live_server, request, "focal-point")
    login(focal_point, "ma.togo", DEMO_PASSWORD)
    focal_point.goto(live_server.url + draft.get_absolute_url())
    focal_point.locator('button[name="action"][value="submit"]').click()
    focal_point.wait_for_load_state()
    focal_point.shot("submitted")

    case_manager = person(browser, live_server, request, "case-manager")
    login(case_manager, "casemanager", DEMO_PASSWORD)
    # At once: the to-do list on the home page and the unread count in the navigation.
    case_manager.goto(live_server.url + "/")
    todo = case_manager.locator("#todo")
    waiting = todo.inner_text()
    assert f"version {draft.version}" in waiting and "Togo" in waiting and "Submitted for approval" in waiting
    assert int(case_manager.locator("#nav-unread").inner_text().split()[0]) >= 1
    case_manager.shot("to-do")
    case_manager.goto(live_server.url + "/notifications/")
    assert "submitted" in case_manager.locator("main").inner_text().lower()
    case_manager.shot("inbox")

    case_manager.goto(live_server.url + draft.get_absolute_url())
    case_manager.locator("#comment-return").fill(COMMENT)
    case_manager.locator('button[name="action"][value="return"]').click()
    case_manager.wait_for_load_state()
    case_manager.shot("returned")

    # The return and its comment reach the focal point's home page and inbox.
    focal_point.goto(live_server.url + "/")
    home = focal_point.locator("main").inner_text()
    assert COMMENT in home
    assert int(focal_point.locator("#nav-unread").inner_text().split()[0]) >= 1
    focal_point.shot("home-returned")
    focal_point.goto(live_server.url + "/notifications/")
    assert "returned" in focal_point.locator("main").inner_text().lower()
    focal_point.shot("inbox")
    focal_point.context.close()
    case_manager.context.close()
