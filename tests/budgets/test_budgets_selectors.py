"""Funding figures: the CoP18 Doc. 28 Annex 2 totals, absorption per Party, donor and programme,
the current end date, the delay flags and the XLSX exports."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from budgets import selectors as selectors
from budgets.models import Fund, FundingSource, LegalInstrument
from tests.budgets.factories import (
    make_expenditure,
    make_extension,
    make_installment,
    make_instrument,
    make_line,
    source_for,
)
from tests.workplans.factories import ActivityFactory, make_workplan
from workplans.choices import ActivityStatus, WorkplanStatus

D = datetime.date
USD = Decimal

# CoP18 Doc. 28 Annex 2: (category, description, unit, # units, rate, fund)
ANNEX_2 = [
    ("staff", "Compliance Assistant Programme Officer (P3)", "Years", "1", "175226", Fund.CTL),
    ("consultancies", "Short term consultancies (2 consultants x 3 months)", "Number of people x Months", "6",
     "11700", Fund.QTL),
    ("technical_missions", "Technical compliance missions (1 Officer x 4 missions)", "Number of missions",
     "4", "10000", Fund.CTL),
    ("workshops", "National coordination workshops", "Flat rate", "3", "22000", Fund.CTL),
    ("workshops", "National training workshops", "Flat rate", "2", "22000", Fund.CTL),
]  # fmt: skip


@pytest.fixture
def manager(world, api_client):
    api_client.force_login(world.users["case_manager"])
    return api_client


def enter_annex_2(world, client):
    workplan = make_workplan(world.own)
    sources = {
        Fund.CTL: FundingSource.objects.create(fund=Fund.CTL, name="CITES Trust Fund"),
        Fund.QTL: source_for(world.own),
    }
    # A line takes a source of its CAP case's legal instruments: the agreement names both funds.
    make_instrument(world.own, funding_sources=list(sources.values()))
    for year in (1, 2, 3):
        for category, description, unit, units, rate, fund in ANNEX_2:
            payload = {
                "workplan": workplan.pk,
                "category": category,
                "description": description,
                "unit": unit,
                "units": units,
                "rate": rate,
                "funding_source": sources[fund].pk,
                "year": year,
            }
            response = client.post(reverse("api:budgetline-list"), payload, format="json")
            assert response.status_code == 201, response.json()
    return workplan


def test_annex_2_lines_reproduce_its_totals(world, manager):
    """Entering CoP18 Doc. 28 Annex 2 for three years gives its totals to the dollar."""
    workplan = enter_annex_2(world, manager)
    table = manager.get(reverse("api:budgetline-table"), {"workplan": workplan.pk}).json()
    totals = table["totals"]
    assert totals["year1_ctl"] == "325226.00"
    assert totals["year1_qtl"] == "70200.00"
    assert totals["year1"] == "395426.00"
    assert totals["period"] == "1186278.00"
    assert totals["per_year"] == {"1": "395426.00", "2": "395426.00", "3": "395426.00"}
    assert totals["period_ctl"] == "975678.00"
    assert totals["period_qtl"] == "210600.00"
    subtotals = {
        c["category"]: (c["subtotal"]["year1"], c["subtotal"]["period"]) for c in table["categories"]
    }
    assert subtotals == {
        "staff": ("175226.00", "525678.00"),
        "consultancies": ("70200.00", "210600.00"),
        "technical_missions": ("40000.00", "120000.00"),
        "workshops": ("110000.00", "330000.00"),
    }
    # One row per item over the three years, in the annex's order.
    rows = [(r["description"], r["year1"], r["period"]) for c in table["categories"] for r in c["rows"]]
    assert len(rows) == 5
    assert rows[3] == ("National coordination workshops", "66000.00", "198000.00")
    assert rows[4] == ("National training workshops", "44000.00", "132000.00")


def test_budget_table_export_reads_back(world, manager):
    """The XLSX export holds the same table: subtotals and the Annex 2 totals."""
    workplan = enter_annex_2(world, manager)
    response = manager.get(reverse("api:budgetline-export"), {"workplan": workplan.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    header = rows["Activities"]
    assert header[4:] == (
        "Year 1 CTL (USD)",
        "Year 1 QTL (USD)",
        "Total year 1 (USD)",
        "Total year 2 (USD)",
        "Total year 3 (USD)",
        "Total period (USD)",
    )
    total = rows["Total (USD)"]
    assert [Decimal(str(v)) for v in total[4:]] == [325226, 70200, 395426, 395426, 395426, 1186278]
    assert Decimal(str(rows["Subtotal Workshops"][9])) == 330000


def test_budget_line_amount_is_computed(world):
    line = make_line(world.own, units=Decimal("2.5"), rate=Decimal("1234.57"))
    assert line.amount == Decimal("3086.43")  # 3086.425 rounded half up
    annotated = type(line).objects.with_amount().get(pk=line.pk)
    assert annotated.line_amount == Decimal("3086.43")  # in SQL: the same rule, the same cents


# --- absorption ----------------------------------------------------------------------------


@pytest.fixture
def portfolio(world):
    """Togo (funded by the EU) and Nigeria (funded by Switzerland, in CHF)."""
    togo = make_instrument(world.own, amount=Decimal("100000.00"))
    make_installment(world.own, instrument=togo, amount=Decimal("60000.00"),
                     transferred_on=D(2024, 2, 20), received_on=D(2024, 3, 1))  # fmt: skip
    make_installment(world.own, instrument=togo, amount=Decimal("40000.00"), planned_on=D(2024, 9, 1))
    togo_plan = make_workplan(world.own, WorkplanStatus.APPROVED)
    line_a = make_line(world.own, workplan=togo_plan, units=Decimal("1"), rate=Decimal("50000.00"))
    make_line(world.own, workplan=togo_plan, units=Decimal("3"), rate=Decimal("10000.00"))
    # A draft revision's budget does not count while an approved version exists.
    make_line(world.own, workplan=make_workplan(world.own), units=Decimal("1"), rate=Decimal("999.00"))
    make_expenditure(world.own, budget_line=line_a, amount=Decimal("10000.00"), currency="EUR",
                     exchange_rate=Decimal("1.1"))  # fmt: skip
    make_expenditure(world.own, budget_line=line_a, amount=Decimal("34000.00"))
    # After the date of the figures: not counted.
    make_expenditure(world.own, budget_line=line_a, amount=Decimal("1.00"), spent_on=D(2024, 12, 1))

    nigeria = make_instrument(
        world.other, amount=Decimal("45000.00"), currency="CHF", exchange_rate=Decimal("1.12")
    )
    make_installment(world.other, instrument=nigeria, amount=Decimal("45000.00"), currency="CHF",
                     exchange_rate=Decimal("1.12"), transferred_on=D(2024, 3, 1),
                     received_on=D(2024, 3, 5))  # fmt: skip
    # Approved: only the version in force counts (a draft's budget is in test_money_in_force).
    nigeria_plan = make_workplan(world.other, WorkplanStatus.APPROVED)
    line_b = make_line(world.other, workplan=nigeria_plan, units=Decimal("5"), rate=Decimal("10000.00"))
    make_expenditure(world.other, budget_line=line_b, amount=Decimal("12600.00"))
    return D(2024, 10, 1)


def figures(f):
    return {k: v for k, v in f.as_dict().items()}


def test_absorption_per_party_donor_and_programme(world, portfolio):
    summary = selectors.absorption_summary(user=world.users["case_manager"], as_of=portfolio)
    parties = {party.code: f for party, f in summary.parties}
    assert figures(parties["TG"]) == {
        "committed": USD("100000.00"),
        "received": USD("60000.00"),
        "spent": USD("45000.00"),
        "budget": USD("80000.00"),
        "balance": USD("15000.00"),
        "to_disburse": USD("40000.00"),
        "absorption_of_received": USD("75.0"),  # %, one decimal
        "absorption_of_budget": USD("56.3"),  # 56.25 rounded half up
    }
    assert figures(parties["NG"]) == {
        "committed": USD("50400.00"),
        "received": USD("50400.00"),
        "spent": USD("12600.00"),
        "budget": USD("50000.00"),
        "balance": USD("37800.00"),
        "to_disburse": USD("0.00"),
        "absorption_of_received": USD("25.0"),
        "absorption_of_budget": USD("25.2"),
    }
    programme = summary.programme
    assert (programme.committed, programme.received, programme.spent, programme.budget) == (
        USD("150400.00"),
        USD("110400.00"),
        USD("57600.00"),
        USD("130000.00"),
    )
    assert programme.absorption_of_received == USD("52.2")  # 57,600 / 110,400 = 52.17 %
    assert programme.absorption_of_budget == USD("44.3")  # 57,600 / 130,000 = 44.31 %
    donors = {donor.short_name: f for donor, f in summary.donors}
    assert (donors["EU"].committed, donors["EU"].received, donors["EU"].spent, donors["EU"].budget) == (
        USD("100000.00"),
        USD("60000.00"),
        USD("45000.00"),
        USD("80000.00"),
    )
    assert donors["CH"].absorption_of_received == USD("25.0")
    assert [fund for fund, _f in summary.funds] == [Fund.QTL]


def summary_figures(summary):
    return {
        "programme": figures(summary.programme),
        "parties": [(party.code, figures(f)) for party, f in summary.parties],
        "donors": [(donor.name, figures(f)) for donor, f in summary.donors],
        "funds": [(fund, figures(f)) for fund, f in summary.funds],
    }


def test_sums_in_sql_group_as_the_rows_summed_in_python(world, portfolio, monkeypatch):
    """The database's sums (PostgreSQL) fall in the same Parties, donors and funds as the rows
    summed in Python (SQLite); forced here on the test database, whose amounts are exact in
    floating point too."""
    user = world.users["case_manager"]
    monkeypatch.setattr(selectors, "_sums_in_sql", lambda queryset: False)
    in_python = summary_figures(selectors.absorption_summary(user=user, as_of=portfolio))
    monkeypatch.setattr(selectors, "_sums_in_sql", lambda queryset: True)
    in_sql = summary_figures(selectors.absorption_summary(user=user, as_of=portfolio))
    assert in_sql == in_python
    assert in_python["parties"][0][0] == "NG" and in_python["parties"][1][0] == "TG"


def test_each_amount_is_rounded_to_the_cent_before_the_sum(world):
    """EUR 0.05 at 0.1 is USD 0.005, rounded half up to 0.01 row by row: two such rows spend
    0.02, not round(0.01); a line of 2.5 × 1,234.57 counts 3,086.43. On the backend under test."""
    plan = make_workplan(world.own, WorkplanStatus.APPROVED)
    line = make_line(world.own, workplan=plan, units=Decimal("2.5"), rate=Decimal("1234.57"))
    for _ in range(2):
        make_expenditure(world.own, budget_line=line, amount=Decimal("0.05"), currency="EUR",
                         exchange_rate=Decimal("0.1"))  # fmt: skip
    summary = selectors.absorption_summary(user=world.users["case_manager"], as_of=D(2024, 10, 1))
    assert summary.programme.spent == USD("0.02")
    assert summary.programme.budget == USD("3086.43")


def test_absorption_without_receipts_is_none_not_an_error(world):
    make_instrument(world.own)
    summary = selectors.absorption_summary(user=world.users["case_manager"], as_of=D(2024, 6, 1))
    assert summary.programme.absorption_of_received is None
    assert summary.programme.absorption_of_budget is None
    assert summary.programme.committed == USD("100000.00")


def test_donor_observer_sees_the_figures_of_what_its_donor_funds(world, portfolio, api_client):
    api_client.force_login(world.users["donor_observer"])
    body = api_client.get(reverse("api:absorption-list"), {"as_of": "2024-10-01"}).json()
    assert [p["name"] for p in body["parties"]] == ["Togo"]
    assert [d["name"] for d in body["donors"]] == ["European Union"]
    assert body["programme"]["spent"] == "45000.00"
    assert body["programme"]["absorption_of_received"] == "75.0"  # percent


def test_focal_point_sees_own_party_figures(world, portfolio, api_client):
    api_client.force_login(world.users["sa_focal_point"])
    body = api_client.get(reverse("api:absorption-list"), {"as_of": "2024-10-01"}).json()
    assert [p["name"] for p in body["parties"]] == ["Togo"]


def test_absorption_export_reads_back(world, portfolio, manager):
    response = manager.get(reverse("api:absorption-export"), {"as_of": "2024-10-01"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    programme = rows["Programme"]
    assert [Decimal(str(v)) for v in programme[1:6]] == [150400, 110400, 130000, 57600, 52800]
    assert Decimal(str(programme[6])) == USD("52.2")  # percent, as on the pages
    assert Decimal(str(rows["Togo"][7])) == USD("56.3")
    assert Decimal(str(rows["Switzerland"][4])) == 12600


def test_instrument_figures_endpoint(world, portfolio, manager):
    instrument = LegalInstrument.objects.get(cap_case__party=world.own)
    url = reverse("api:fundingagreement-figures", kwargs={"pk": instrument.pk})
    body = manager.get(url, {"as_of": "2024-10-01"}).json()
    assert body["instrument"]["committed"] == "100000.00"
    assert body["instrument"]["received"] == "60000.00"
    assert body["instrument"]["to_disburse"] == "40000.00"
    assert body["cap_case"]["absorption_of_budget"] == "56.3"  # percent
    assert body["delays"]["overdue_installments"] == [2]


# --- end dates and delay flags -------------------------------------------------------------


def test_current_end_date_follows_the_latest_extension(world):
    instrument = make_instrument(world.own, ends_on=D(2024, 12, 31))
    assert instrument.current_end_date == D(2024, 12, 31)
    make_extension(world.own, instrument=instrument, new_end_date=D(2025, 6, 30))
    make_extension(world.own, instrument=instrument, new_end_date=D(2025, 12, 31))
    instrument = LegalInstrument.objects.get(pk=instrument.pk)
    assert instrument.current_end_date == D(2025, 12, 31)
    assert LegalInstrument.objects.with_current_end().get(pk=instrument.pk).current_end == D(2025, 12, 31)
    assert instrument.ends_on == D(2024, 12, 31)
    assert instrument.is_extended


def _flags(instrument, day):
    return selectors.delay_flags(LegalInstrument.objects.filter(pk=instrument.pk), as_of=day)[instrument.pk]


def test_no_installment_received_18_months_after_signature(world):
    instrument = make_instrument(world.own, signed_on=D(2022, 1, 10))
    assert not _flags(instrument, D(2023, 7, 10)).no_funds_after_18_months
    assert _flags(instrument, D(2023, 7, 11)).no_funds_after_18_months
    late = make_installment(
        world.own, instrument=instrument, transferred_on=D(2023, 7, 20), received_on=D(2023, 8, 1)
    )
    assert _flags(instrument, D(2023, 8, 2)).no_funds_after_18_months  # received, but late
    late.received_on = D(2023, 7, 10)
    late.transferred_on = D(2023, 7, 1)
    late.save()
    assert not _flags(instrument, D(2023, 8, 2)).no_funds_after_18_months


def test_work_unfinished_12_months_after_the_current_end(world):
    """Counted from the current end date: a no-cost extension moves the flag."""
    instrument = make_instrument(world.own, ends_on=D(2023, 12, 31))
    activity = ActivityFactory(
        workplan=make_workplan(world.own, WorkplanStatus.APPROVED), status=ActivityStatus.ONGOING
    )
    assert _flags(instrument, D(2025, 1, 1)).unfinished_12_months_after_end
    make_extension(world.own, instrument=instrument, new_end_date=D(2024, 6, 30))
    assert not _flags(instrument, D(2025, 1, 1)).unfinished_12_months_after_end
    assert not _flags(instrument, D(2025, 6, 30)).unfinished_12_months_after_end
    assert _flags(instrument, D(2025, 7, 1)).unfinished_12_months_after_end
    activity.status = ActivityStatus.COMPLETED
    activity.save()
    assert not _flags(instrument, D(2025, 7, 1)).unfinished_12_months_after_end


def test_installments_overdue_against_their_planned_date(world):
    instrument = make_instrument(world.own)
    installment = make_installment(world.own, instrument=instrument, planned_on=D(2024, 2, 1))
    make_installment(world.own, instrument=instrument, planned_on=D(2024, 8, 1))
    assert _flags(instrument, D(2024, 2, 1)).overdue_installments == []
    assert _flags(instrument, D(2024, 2, 2)).overdue_installments == [1]
    assert _flags(instrument, D(2024, 9, 1)).overdue_installments == [1, 2]
    installment.transferred_on = D(2024, 2, 1)
    installment.received_on = D(2024, 2, 5)
    installment.save()
    assert _flags(instrument, D(2024, 2, 3)).overdue_installments == [1]
    assert _flags(instrument, D(2024, 2, 10)).overdue_installments == []
    assert not _flags(instrument, D(2024, 2, 10)).any
