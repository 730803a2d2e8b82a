"""Issues 16.1 and 14.13 in a real browser: a case manager goes from a legal instrument's page to
"Donor statement", produces one and downloads its PDF and XLSX; the donor observer's home page
then shows the agreement and the statement. Renders run in-process (``in_process_tasks``)."""

import pytest

from statements.models import DonorStatement
from tests.statements.conftest import funded

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_statement_from_the_instrument_page_to_the_donors_home(page, world):
    instrument = funded(world.own)
    login(page, "case_manager", "pw-case_manager")
    page.goto(page.base_url + instrument.get_absolute_url())
    page.get_by_role("link", name="Donor statement").click()
    page.get_by_label("Period from").fill("2024-01-01")
    page.get_by_label("Period to").fill("2024-12-31")
    page.shot("statement-form")
    page.get_by_role("button", name="Produce the statement").click()
    page.get_by_role("link", name="Download XLSX").wait_for()
    page.shot("statement-done")
    statement = DonorStatement.objects.get()
    assert statement.state == "done" and statement.number == 1
    for link in ("Download PDF", "Download XLSX"):
        href = page.get_by_role("link", name=link).get_attribute("href")
        response = page.context.request.get(page.base_url + href)
        assert response.ok
    pdf = page.context.request.get(page.base_url + statement.get_pdf_url())
    assert pdf.body().startswith(b"%PDF")
    assert "40,000.00" in page.locator("#statement-totals").inner_text()

    page.context.clear_cookies()
    login(page, "donor_observer", "pw-donor_observer")
    agreements = page.locator("#donor-agreements")
    assert instrument.reference in agreements.inner_text()
    assert "40,000.00" in page.locator("#donor-figures").inner_text()
    assert page.locator("#donor-statements").get_by_role("link", name="PDF").count() == 1
    page.shot("donor-home")
