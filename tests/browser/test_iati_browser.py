"""Issue 16 in a real browser: from the funding page, the case manager opens the IATI page and
downloads the portfolio's file, which validates against the IATI 2.03 schema; then keeps Togo's
CAP case out of publication and the next file has no Togo activity."""

from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from cases.models import CapCase
from sampledata.demo import DEMO_PASSWORD
from tests.iati.conftest import SCHEMA_DIR

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def portfolio():
    call_command("load_sample_data", verbosity=0)


def _download(page) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the IATI file").click()
    with open(download.value.path(), "rb") as file:
        return file.read()


def test_case_manager_downloads_the_portfolio_and_keeps_a_case_out(page, portfolio):
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))
    togo = CapCase.objects.get(party__code="TG")
    login(page, "casemanager", DEMO_PASSWORD)
    page.goto(page.base_url + reverse("budgets:absorption"))
    page.locator("#iati-link").click()
    page.wait_for_url("**/iati/")
    page.shot("iati-page")

    content = _download(page)
    assert schema.validate(etree.fromstring(content)), schema.error_log
    countries = [a.find("recipient-country").get("code") for a in ElementTree.fromstring(content)]
    assert "TG" in countries and len(countries) == 8

    page.get_by_role("link", name="Keep a record out of publication").click()
    page.get_by_label("Kind of record").select_option("capcase")
    page.get_by_label("Record id").fill(str(togo.pk))
    page.get_by_label("Reason").fill("Under review with the donor.")
    with page.expect_navigation():
        page.get_by_role("button", name="Keep out").click()
    assert "Under review with the donor." in page.locator("#exclusion-table").inner_text()
    page.shot("togo-kept-out")

    content = _download(page)
    countries = [a.find("recipient-country").get("code") for a in ElementTree.fromstring(content)]
    assert "TG" not in countries and len(countries) == 7
