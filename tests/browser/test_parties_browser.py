"""The Parties slice in a real browser."""

import pytest
from django.core.management import call_command

from sampledata.demo import DEMO_PASSWORD

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def portfolio():
    call_command("load_sample_data")


def test_focal_point_sees_own_party_and_cannot_edit_another(page, portfolio):
    """The Togo MA focal point signs in, opens Togo with its contacts, filters the registry,
    and gets 'not found' on Nigeria's contact form."""
    login(page, "ma.togo", DEMO_PASSWORD)
    page.shot("home")
    assert page.get_by_role("link", name="Togo").first.is_visible()

    page.goto(page.base_url + "/parties/TG/")
    assert page.get_by_role("heading", name="Togo TG").is_visible()
    assert page.get_by_text("Komlan Agbeko").first.is_visible()
    assert page.get_by_role("link", name="Add contact").is_visible()
    page.shot("togo")

    page.goto(page.base_url + "/parties/")
    page.get_by_label("Oceania").check()
    with page.expect_navigation():  # count the rows of the filtered page, not of the one leaving
        page.get_by_role("button", name="Apply").click()
    rows = page.locator("#party-table tbody tr")
    assert rows.count() >= 9
    assert "Solomon Islands" in page.locator("#party-table").inner_text()
    assert "Togo" not in page.locator("#party-table").inner_text()
    page.shot("filtered")

    page.goto(page.base_url + "/parties/NG/")
    assert "@tg.example.org" not in page.content()  # no Togo contact leaks onto Nigeria's page
    assert "@ng.example.org" not in page.content()
    assert page.get_by_text("shown to the Secretariat and that Party's focal points").is_visible()
    response = page.goto(page.base_url + "/parties/NG/contacts/add/")
    assert response.status == 200  # the form renders, but saving is refused:
    page.get_by_label("Name").fill("Intruder")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("You may not write to this Party's records.").is_visible()
    page.shot("refused")


def test_case_manager_edits_a_party_and_sees_the_history(page, portfolio):
    login(page, "casemanager", DEMO_PASSWORD)
    page.goto(page.base_url + "/parties/SR/")
    page.get_by_role("link", name="Edit", exact=True).first.click()
    page.get_by_label("Working language").select_option("es")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Suriname was saved.").is_visible()
    history = page.locator("#history").inner_text()
    assert "changed by casemanager" in history
    assert "Spanish" in history or "es" in history
    page.shot("history")
