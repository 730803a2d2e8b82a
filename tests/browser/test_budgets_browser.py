"""Issue 5 in a real browser: the case manager opens a CAP case's funding page, is refused a
no-cost extension that ends before the current end date (the error next to the field, nothing
written), grants a valid one and sees the current end date and the timeline move."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from budgets.models import LegalInstrument, NoCostExtension
from sampledata.demo import DEMO_PASSWORD

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def portfolio():
    call_command("load_sample_data", verbosity=0)


def test_case_manager_grants_a_no_cost_extension(page, portfolio):
    instrument = LegalInstrument.objects.filter(cap_case__party__code="TG").first()
    before_end = instrument.current_end_date
    extensions_before = NoCostExtension.objects.filter(instrument=instrument).count()
    login(page, "casemanager", DEMO_PASSWORD)

    page.goto(page.base_url + reverse("budgets:case_funding", kwargs={"pk": instrument.cap_case_id}))
    agreement = page.locator(f"#agreement-{instrument.pk}")
    assert agreement.locator(".current-end").is_visible()
    assert page.locator("#absorption-chart").count() == 1
    page.shot("case-funding")

    agreement.get_by_role("link", name="Grant a no-cost extension").click()
    too_early = before_end - datetime.timedelta(days=30)
    page.get_by_label("New end date").fill(too_early.isoformat())
    page.get_by_label("Granted on").fill(before_end.isoformat())
    page.get_by_label("Reason").fill("Delays in the NDF work.")
    page.get_by_role("button", name="Save").click()
    error = page.get_by_text("must be after the current end date")
    assert error.is_visible()
    page.shot("extension-refused")
    assert NoCostExtension.objects.filter(instrument=instrument).count() == extensions_before

    new_end = before_end + datetime.timedelta(days=180)
    page.get_by_label("New end date").fill(new_end.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    instrument.refresh_from_db()
    assert instrument.current_end_date == new_end
    assert NoCostExtension.objects.filter(instrument=instrument).count() == extensions_before + 1
    page.goto(page.base_url + reverse("budgets:case_funding", kwargs={"pk": instrument.cap_case_id}))
    assert "Delays in the NDF work." in page.locator(f"#agreement-{instrument.pk}").inner_text()
    page.shot("extension-granted")
