"""One absorption figure on every surface (issue 12, "one definition per rule").

A CAP case with USD 1,000.00 received and USD 813.45 spent: spent ÷ received is 81.345 %, which
rounds once, half up, to 81.3 % — on the dashboard and its export, the funding page of the case,
the programme's funding page and its XLSX export, ``/api/v1/absorption/`` and its XLSX export, and
the Standing Committee report. (Rounding the ratio to 0.8135 first, then the percentage, gave 81.4
on some surfaces and 81.3 on others.)
"""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets.selectors import absorption_rate
from reports.choices import SectionKind
from reports.snapshot import build_snapshot
from tests.reports.conftest import make_report

from .factories import make_expenditure, make_installment, make_instrument, make_line

pytestmark = pytest.mark.django_db

RECEIVED, SPENT, PERCENT = Decimal("1000.00"), Decimal("813.45"), Decimal("81.3")


@pytest.fixture
def case(world):
    instrument = make_instrument(world.own)
    make_installment(
        world.own,
        instrument=instrument,
        amount=RECEIVED,
        transferred_on=datetime.date(2024, 2, 1),
        received_on=datetime.date(2024, 2, 10),
    )
    make_expenditure(world.own, budget_line=make_line(world.own), amount=SPENT)
    return instrument.cap_case


def _sheet_row(content: bytes, first_cell: str) -> tuple:
    sheet = load_workbook(BytesIO(content)).active
    return next(row for row in sheet.iter_rows(values_only=True) if row[0] == first_cell)


def _number(value) -> Decimal:
    """A spreadsheet number as the Decimal it shows (openpyxl reads numbers back as floats)."""
    return Decimal(str(value))


def test_the_rule_rounds_the_exact_quotient_once_half_up():
    """Spent ÷ base × 100, rounded once, half up, to one decimal; None without a base."""
    assert absorption_rate(SPENT, RECEIVED) == PERCENT  # 81.345 → 81.3, not 81.35 → 81.4
    assert absorption_rate(Decimal("812.50"), RECEIVED) == Decimal("81.3")  # 81.25: half up
    assert absorption_rate(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert absorption_rate(Decimal("2"), Decimal("3")) == Decimal("66.7")
    assert absorption_rate(Decimal("5"), Decimal("0")) is None
    assert absorption_rate(Decimal("5"), None) is None
    assert absorption_rate(None, RECEIVED) is None


def test_dashboard_shows_the_figure(world, client, case):
    """The dashboard row of the Party and the dashboard's XLSX export."""
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("home"))
    (row,) = [r for r in response.context["portfolio"].rows if r.cap_case == case]
    assert row.absorption == PERCENT
    assert (row.budget_figures.received, row.budget_figures.spent) == (RECEIVED, SPENT)
    assert response.context["chart_data"]["absorption"]["values"] == [81.3]

    export = client.get(reverse("home"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = header.index("Budget absorption (% of funds received)")
    (togo,) = [r for r in rows if r[0] == "Togo"]
    assert _number(togo[column]) == PERCENT


def test_funding_pages_show_the_figure(world, client, case):
    """The funding page of the case and the programme's funding page."""
    client.force_login(world.users["case_manager"])
    response = client.get(reverse("budgets:case_funding", kwargs={"pk": case.pk}))
    figures = response.context["funding"].figures
    assert (figures.received, figures.spent, figures.absorption_of_received) == (RECEIVED, SPENT, PERCENT)
    assert 'id="absorption-received">81.3 %<' in response.content.decode()

    response = client.get(reverse("budgets:absorption"))
    ((party, figures),) = response.context["summary"].parties
    assert party == world.own
    assert (figures.received, figures.spent, figures.absorption_of_received) == (RECEIVED, SPENT, PERCENT)
    assert ">81.3 %<" in response.content.decode()


def test_api_gives_the_same_percentage(world, api_client, case):
    """``/api/v1/absorption/``: the Party's, the donor's, the fund's and the programme's
    ``absorption_of_received`` are the same percentage with one decimal."""
    api_client.force_authenticate(world.users["case_manager"])
    body = api_client.get("/api/v1/absorption/").json()
    (party,) = body["parties"]
    assert (party["received"], party["spent"], party["absorption_of_received"]) == (
        "1000.00",
        "813.45",
        "81.3",
    )
    assert body["programme"]["absorption_of_received"] == "81.3"
    assert [d["absorption_of_received"] for d in body["donors"]] == ["81.3"]
    assert [f["absorption_of_received"] for f in body["funds"]] == ["81.3"]


@pytest.mark.parametrize("url", ["/api/v1/absorption/export/", "/budgets/absorption.xlsx"])
def test_absorption_workbooks_give_the_same_figure(world, client, case, url):
    """The absorption workbook (API and page) writes the amounts to the cent and the same
    percentage."""
    client.force_login(world.users["case_manager"])
    url = url if url.startswith("/api/") else reverse("budgets:absorption_export")
    row = _sheet_row(client.get(url).content, "Togo")
    assert (_number(row[2]), _number(row[4]), _number(row[6])) == (RECEIVED, SPENT, PERCENT)
    programme = _sheet_row(client.get(url).content, "Programme")
    assert _number(programme[6]) == PERCENT


def test_sc_report_gives_the_same_figure(world, case):
    """The Standing Committee report: the absorption finding's text and figure and the annex's
    budget table (amounts to the cent) as composed into the snapshot."""
    report = make_report([world.own], as_of=datetime.date(2024, 12, 1))
    snapshot = build_snapshot(report)
    (finding,) = [s for s in snapshot["sections"] if s["kind"] == SectionKind.FINDING_ABSORPTION]
    assert finding["figures"]["absorption"] == "81.3"
    assert "spent 81.3% of the funds received" in finding["blocks"][0]["text"]
    (row,) = snapshot["annex"]["budget"]["parties"]
    assert (row["received"], row["spent"], row["absorption"]) == ("1000.00", "813.45", "81.3")
