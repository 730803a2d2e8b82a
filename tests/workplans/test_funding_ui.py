"""Funding pages: access per role, pinned query counts, the budget page and the XLSX downloads."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.mixins import ALL, OWN, UIDetailTests, UIListTests
from tests.workplans.funding_factories import (
    draft_workplan_for,
    instrument_for,
    make_expenditure,
    make_extension,
    make_installment,
    make_instrument,
    make_line,
)
from workplans.funding import Expenditure, LegalInstrument

READ_OWN = {
    "case_manager": ALL,
    "secretariat_viewer": ALL,
    "ma_focal_point": OWN,
    "sa_focal_point": OWN,
    "donor_observer": OWN,
}


class TestInstrumentPages(UIListTests, UIDetailTests):
    model = LegalInstrument
    access = {"view": READ_OWN}
    list_queries = 10

    def make_object(self, party):
        return make_instrument(party)

    def list_url(self):
        return reverse("funding:instrument_list")


class TestExpenditurePages(UIListTests):
    model = Expenditure
    access = {"view": READ_OWN}
    list_queries = 5

    def make_object(self, party):
        return make_expenditure(party)

    def list_url(self):
        return reverse("funding:expenditure_list")


def test_instrument_page_shows_extensions_and_current_end(world, client):
    instrument = make_instrument(world.own)
    make_extension(world.own, instrument=instrument, reason="Funds received late.")
    make_installment(world.own, instrument=instrument)
    client.force_login(world.users["donor_observer"])
    response = client.get(instrument.get_absolute_url())
    assert response.status_code == 200
    assert b"Funds received late." in response.content
    assert response.context["object"].current_end == instrument.current_end_date


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("case_manager", "other", 200),
        ("ma_focal_point", "own", 200),
        ("ma_focal_point", "other", 404),
        ("donor_observer", "own", 200),
        ("donor_observer", "other", 404),
    ],
)
def test_budget_page_access(world, client, role, target, status):
    line = make_line(world.party(target))
    client.force_login(world.users[role])
    assert (
        client.get(reverse("funding:workplan_budget", kwargs={"pk": line.workplan_id})).status_code == status
    )


def test_budget_page_query_count_is_constant(world, client, django_assert_num_queries):
    """The budget page runs the same number of queries for 1 line and for 20."""
    client.force_login(world.users["case_manager"])
    workplan = draft_workplan_for(world.own)
    url = reverse("funding:workplan_budget", kwargs={"pk": workplan.pk})
    make_line(world.own, workplan=workplan)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    for index in range(19):
        make_line(
            world.own,
            workplan=workplan,
            category=["staff", "workshops", "other"][index % 3],
            year=index % 3 + 1,
        )
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["table"].totals.period == 20 * 2000


def test_absorption_page_and_export(world, client):
    instrument = instrument_for(world.own)
    make_installment(world.own, instrument=instrument, transferred_on="2024-02-01", received_on="2024-02-10")
    make_expenditure(world.own)
    client.force_login(world.users["secretariat_viewer"])
    page = client.get(reverse("funding:absorption"))
    assert page.status_code == 200
    assert page.context["summary"].programme.absorption_of_received == 0.5  # 500 / 1,000
    export = client.get(reverse("funding:absorption_export"))
    sheet = load_workbook(BytesIO(export.content)).active
    assert any(row[0] == "Togo" for row in sheet.iter_rows(values_only=True))


def test_ma_focal_point_reports_expenditure_in_the_form(world, client):
    instrument_for(world.own)
    line = make_line(world.own)
    client.force_login(world.users["ma_focal_point"])
    data = {
        "budget_line": line.pk,
        "spent_on": "2024-04-01",
        "amount": "300.00",
        "currency": "XOF",
        "exchange_rate": "",
        "description": "Fuel",
    }
    response = client.post(reverse("funding:expenditure_add"), data)
    assert response.status_code == 200
    assert "exchange_rate" in response.context["form"].errors
    data["exchange_rate"] = "0.00165"
    response = client.post(reverse("funding:expenditure_add"), data)
    assert response.status_code == 302
    expenditure = Expenditure.objects.get()
    assert expenditure.reported_by == world.users["ma_focal_point"]
    assert str(expenditure.amount_usd) == "0.50"


def test_funding_nav_item(world, client):
    client.force_login(world.users["donor_observer"])
    assert reverse("funding:absorption").encode() in client.get(reverse("funding:absorption")).content


def test_sa_focal_point_cannot_report_expenditure(world, client):
    client.force_login(world.users["sa_focal_point"])
    assert client.get(reverse("funding:expenditure_add")).status_code == 403
