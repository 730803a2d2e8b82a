"""Issue 14, point 12, in a real browser: the dashboard's Party filter is searchable (Tom Select,
vendored from the npm registry). A case manager types a few letters of a Party's name, picks it,
applies, and sees only that Party's CAP case; the widget is labelled and passes axe-core."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from sampledata.demo import DEMO_PASSWORD

from .conftest import login
from .sweep_support import accessibility

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def portfolio():
    call_command("load_sample_data", verbosity=0)


def test_case_manager_finds_a_party_by_typing_in_the_filter(page, portfolio):
    login(page, "casemanager", DEMO_PASSWORD)
    rows = page.locator("#portfolio-table tbody tr")
    assert {rows.nth(i).get_attribute("data-party") for i in range(rows.count())} > {"TG"}

    # The plain select is replaced by a combobox named by the field's label.
    search = page.get_by_role("combobox", name="Party")
    assert search.is_visible()
    assert "ts-hidden-accessible" in page.locator("select#id_party").get_attribute("class")
    search.click()
    search.press_sequentially("zqx")
    expect(page.get_by_text("No match")).to_be_visible()  # the text from the page (translated)
    search.fill("")
    search.press_sequentially("Tog")
    choices = page.get_by_role("listbox", name="Party")
    option = choices.get_by_role("option", name="Togo", exact=True)
    expect(option).to_be_visible()
    expect(choices.get_by_role("option")).to_have_count(1)  # narrowed by "Tog"
    page.shot("typed")
    option.click()
    page.keyboard.press("Escape")
    assert page.locator("select#id_party").input_value() == "TG"
    page.shot("picked")

    findings = accessibility(page)
    assert not findings, findings

    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert "party=TG" in page.url
    parties = {rows.nth(i).get_attribute("data-party") for i in range(rows.count())}
    assert parties == {"TG"}
    # The chosen Party stays chosen in the widget after the page reloads.
    assert page.locator("#dashboard-filters .ts-control .item").inner_text().startswith("Togo")
    page.shot("applied")

    findings = accessibility(page)
    assert not findings, findings
