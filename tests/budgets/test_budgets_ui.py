"""Funding pages: access per role, pinned query counts, the budget page and the XLSX downloads."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets.models import Expenditure, LegalInstrument
from tests.budgets.factories import (
    draft_workplan_for,
    instrument_for,
    make_expenditure,
    make_extension,
    make_installment,
    make_instrument,
    make_line,
)
from tests.mixins import UIDetailTests, UIListTests


class TestInstrumentPages(UIListTests):
    model = LegalInstrument

    def make_object(self, party):
        return make_instrument(party)

    def list_url(self):
        return reverse("budgets:instrument_list")


class TestExpenditurePages(UIListTests):
    model = Expenditure

    def make_object(self, party):
        return make_expenditure(party)

    def list_url(self):
        return reverse("budgets:expenditure_list")


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
        client.get(reverse("budgets:workplan_budget", kwargs={"pk": line.workplan_id})).status_code == status
    )


def test_budget_page_query_count_is_constant(world, client, django_assert_num_queries):
    """The budget page runs the same number of queries for 1 line and for 20."""
    # 9: the page's 6, the navigation's unread notifications and to-do counts, and whether the
    # version is in force (its budget then counts as programme money, else it is labelled a draft).
    client.force_login(world.users["case_manager"])
    workplan = draft_workplan_for(world.own)
    url = reverse("budgets:workplan_budget", kwargs={"pk": workplan.pk})
    make_line(world.own, workplan=workplan)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    for index in range(19):
        make_line(
            world.own,
            workplan=workplan,
            category=["staff", "workshops", "other"][index % 3],
            year=index % 3 + 1,
        )
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.context["table"].totals.period == 20 * 2000


def test_absorption_page_and_export(world, client):
    instrument = instrument_for(world.own)
    make_installment(world.own, instrument=instrument, transferred_on="2024-02-01", received_on="2024-02-10")
    make_expenditure(world.own)
    client.force_login(world.users["secretariat_viewer"])
    page = client.get(reverse("budgets:absorption"))
    assert page.status_code == 200
    assert page.context["summary"].programme.absorption_of_received == 50  # % : 500 / 1,000
    export = client.get(reverse("budgets:absorption_export"))
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
    response = client.post(reverse("budgets:expenditure_add"), data)
    assert response.status_code == 200
    assert "exchange_rate" in response.context["form"].errors
    data["exchange_rate"] = "0.00165"
    response = client.post(reverse("budgets:expenditure_add"), data)
    assert response.status_code == 302
    expenditure = Expenditure.objects.get()
    assert expenditure.reported_by == world.users["ma_focal_point"]
    assert str(expenditure.amount_usd) == "0.50"


def test_funding_nav_item(world, client):
    client.force_login(world.users["donor_observer"])
    assert reverse("budgets:absorption").encode() in client.get(reverse("budgets:absorption")).content


def test_sa_focal_point_cannot_report_expenditure(world, client):
    client.force_login(world.users["sa_focal_point"])
    assert client.get(reverse("budgets:expenditure_add")).status_code == 403


# --- the funding page of a CAP case ---------------------------------------------------------------


class TestCaseFundingPage(UIDetailTests):
    """Whoever reads funding records opens the page of the cases they may see (a donor observer:
    those its donor funds); another Party's case answers 404."""

    model = LegalInstrument

    def make_object(self, party):
        return make_instrument(party)

    def detail_url(self, obj):
        return reverse("budgets:case_funding", kwargs={"pk": obj.cap_case_id})


def case_url(instrument):
    return reverse("budgets:case_funding", kwargs={"pk": instrument.cap_case_id})


def test_case_page_of_an_unfunded_case_is_404_for_a_donor(world, client):
    from tests.workplans.factories import cap_case_for

    cap_case = cap_case_for(world.own)
    url = reverse("budgets:case_funding", kwargs={"pk": cap_case.pk})
    client.force_login(world.users["donor_observer"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["ma_focal_point"])
    response = client.get(url)
    assert response.status_code == 200 and response.context["funding"].agreements == []


def test_case_page_shows_agreement_extensions_installments_budget_and_absorption(world, client):
    import datetime

    instrument = make_instrument(world.own, ends_on=datetime.date(2024, 12, 31))
    make_extension(world.own, instrument=instrument, new_end_date=datetime.date(2025, 6, 30))
    make_installment(
        world.own,
        instrument=instrument,
        amount="2000.00",
        transferred_on=datetime.date(2024, 2, 1),
        received_on=datetime.date(2024, 2, 10),
    )
    late = make_installment(world.own, instrument=instrument, planned_on=datetime.date(2024, 6, 1))
    # 2 × 1,000 = USD 2,000 of workshops, in the approved version (a draft's budget counts nowhere).
    from tests.workplans.factories import make_workplan
    from workplans.choices import WorkplanStatus

    line = make_line(world.own, workplan=make_workplan(world.own, WorkplanStatus.APPROVED))
    make_expenditure(world.own, budget_line=line, amount="500.00")
    client.force_login(world.users["secretariat_viewer"])
    response = client.get(case_url(instrument))
    assert response.status_code == 200
    funding = response.context["funding"]
    agreement, timeline = response.context["agreement_timelines"][0]
    assert agreement is funding.agreements[0]
    assert agreement.instrument.current_end == datetime.date(2025, 6, 30)
    assert [m.kind for m in timeline.marks] == ["start", "original_end", "extension"]
    assert timeline.today is None or 0 <= timeline.today <= 100
    assert [row.overdue for row in agreement.installments] == [False, True]
    assert agreement.delays.overdue_installments == [late.number]
    assert (agreement.planned, agreement.transferred, agreement.received) == (3000, 2000, 2000)
    assert funding.figures.absorption_of_received == funding.figures.absorption_of_budget == 25  # %
    assert funding.table.totals.period == 2000
    content = response.content.decode()
    for marker in (
        'id="absorption-chart"',
        'id="category-chart"',
        'class="agreement-timeline"',
        "table-danger",
    ):
        assert marker in content
    # A reader gets no write buttons.
    assert reverse("budgets:instrument_add", kwargs={"parent": instrument.cap_case_id}) not in content
    assert reverse("budgets:installment_add", kwargs={"parent": instrument.pk}) not in content


@pytest.mark.parametrize(
    ("role", "agreement", "budget", "report"),
    [
        ("case_manager", True, True, True),
        ("secretariat_viewer", False, False, False),
        ("ma_focal_point", False, True, True),
        ("sa_focal_point", False, False, False),
        ("donor_observer", False, False, False),
    ],
)
def test_case_page_buttons_only_for_those_who_may_act(world, client, role, agreement, budget, report):
    instrument = instrument_for(world.own)
    line = make_line(world.own)
    client.force_login(world.users[role])
    content = client.get(case_url(instrument)).content.decode()
    assert (
        reverse("budgets:instrument_add", kwargs={"parent": instrument.cap_case_id}) in content
    ) is agreement
    assert (reverse("budgets:instrument_edit", kwargs={"pk": instrument.pk}) in content) is agreement
    assert (reverse("budgets:extension_add", kwargs={"parent": instrument.pk}) in content) is agreement
    assert (reverse("budgets:budgetline_add", kwargs={"parent": line.workplan_id}) in content) is budget
    assert (reverse("budgets:budgetline_edit", kwargs={"pk": line.pk}) in content) is budget
    assert (reverse("budgets:expenditure_add") in content) is report


def test_case_page_query_count_is_constant(world, client, django_assert_num_queries):
    """The same number of queries for one agreement, installment, line and expenditure as for many."""
    import datetime

    client.force_login(world.users["case_manager"])
    instrument = make_instrument(world.own)
    make_extension(world.own, instrument=instrument)
    make_installment(world.own, instrument=instrument)
    line = make_line(world.own)
    make_expenditure(world.own, budget_line=line)
    url = case_url(instrument)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    second = make_instrument(world.own, signed_on=datetime.date(2024, 3, 1))
    for index in range(6):
        make_extension(world.own, instrument=[instrument, second][index % 2])
        make_installment(world.own, instrument=[instrument, second][index % 2])
        extra = make_line(world.own, category=["staff", "equipment", "other"][index % 3], year=index % 3 + 1)
        make_expenditure(world.own, budget_line=extra)
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = client.get(url)
    assert len(response.context["funding"].agreements) == 2


# One fewer than before issue 12: the workplan version in force is read with its row (in_force()).
CASE_PAGE_QUERIES = 28


def test_absorption_page_query_count_is_constant(world, client, django_assert_num_queries):
    client.force_login(world.users["case_manager"])
    make_expenditure(world.own)
    url = reverse("budgets:absorption")
    with django_assert_num_queries(ABSORPTION_QUERIES):
        assert client.get(url).status_code == 200
    for _ in range(5):
        make_expenditure(world.own)
        make_expenditure(world.other)
        make_installment(world.other)
    with django_assert_num_queries(ABSORPTION_QUERIES):
        response = client.get(url)
    assert len(response.context["party_chart"].groups) == 2
    assert b'id="party-chart"' in response.content and b'id="donor-chart"' in response.content


ABSORPTION_QUERIES = 12


def test_instrument_page_query_count_is_constant(world, client, django_assert_num_queries):
    client.force_login(world.users["case_manager"])
    instrument = make_instrument(world.own)
    make_extension(world.own, instrument=instrument)
    make_installment(world.own, instrument=instrument)
    with django_assert_num_queries(INSTRUMENT_PAGE_QUERIES):
        assert client.get(instrument.get_absolute_url()).status_code == 200
    for _ in range(5):
        make_extension(world.own, instrument=instrument)
        make_installment(world.own, instrument=instrument)
    with django_assert_num_queries(INSTRUMENT_PAGE_QUERIES):
        response = client.get(instrument.get_absolute_url())
    assert len(response.context["timeline"].marks) == 8


INSTRUMENT_PAGE_QUERIES = 22
