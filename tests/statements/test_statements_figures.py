"""What a statement counts: the period, the instrument's money only, currencies at their rate,
the accepted narratives of the period, versions and checksums, and bad input refused."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from statements.models import DonorStatement
from statements.selectors import statement_snapshot
from tests.budgets import factories as ff
from tests.workplans.factories import ActivityFactory, ProgressUpdateFactory
from workplans.choices import WorkplanStatus

from .conftest import D, funded

pytestmark = pytest.mark.django_db


def snapshot(instrument, start, end):
    return statement_snapshot(instrument, period_start=start, period_end=end, language="en")


def test_the_period_splits_money_into_brought_forward_and_in_the_period(world):
    """An installment received and money spent before the period make the opening balance;
    those in the period its received and spent; closing = opening + received − spent."""
    instrument = funded(world.own)  # 40,000 received 15 Feb 2024; 4,321.09 spent 1 May 2024
    ff.make_installment(
        world.own, instrument=instrument, amount=Decimal("10000.00"),
        transferred_on=D(2024, 8, 1), received_on=D(2024, 8, 10),
    )  # fmt: skip
    line = instrument.cap_case.workplans.get(status=WorkplanStatus.APPROVED).budget_lines.get()
    ff.make_expenditure(world.own, budget_line=line, amount=Decimal("1000.00"), spent_on=D(2024, 9, 1))
    totals = snapshot(instrument, D(2024, 7, 1), D(2024, 12, 31))["totals"]
    assert Decimal(totals["opening_balance"]) == Decimal("40000.00") - Decimal("4321.09")
    assert Decimal(totals["received"]) == Decimal("10000.00")
    assert Decimal(totals["spent"]) == Decimal("1000.00")
    assert Decimal(totals["closing_balance"]) == Decimal("50000.00") - Decimal("5321.09")
    assert Decimal(totals["received_to_date"]) == Decimal("50000.00")
    assert Decimal(totals["spent_to_date"]) == Decimal("5321.09")
    assert Decimal(totals["absorption_of_received"]) == Decimal("10.6")  # 5,321.09 / 50,000


def test_installments_in_another_currency_count_in_usd_at_their_rate(world):
    instrument = ff.make_instrument(world.own, amount=Decimal("100000.00"))
    ff.make_installment(
        world.own, instrument=instrument, amount=Decimal("1000.00"), currency="EUR",
        exchange_rate=Decimal("1.08345000"), transferred_on=D(2024, 3, 1), received_on=D(2024, 3, 2),
    )  # fmt: skip
    data = snapshot(instrument, D(2024, 1, 1), D(2024, 12, 31))
    row = data["installments"][0]
    assert (row["currency"], row["amount"], row["usd"]) == ("EUR", "1000.00", "1083.45")
    assert data["totals"]["received"] == "1083.45"


def test_only_the_instruments_funding_sources_count(world):
    """A line of the same CAP case funded by another source (the Trust Fund) is not this
    instrument's budget, nor is the money spent against it."""
    instrument = funded(world.own)
    workplan = instrument.cap_case.workplans.get(status=WorkplanStatus.APPROVED)
    trust_fund = ff.FundingSourceFactory(fund="CTL", name="CITES Trust Fund")
    line = ff.make_line(world.own, workplan=workplan, funding_source=trust_fund, rate=Decimal("9999.00"))
    ff.make_expenditure(world.own, budget_line=line, amount=Decimal("777.00"))
    totals = snapshot(instrument, D(2024, 1, 1), D(2024, 12, 31))["totals"]
    assert Decimal(totals["budget"]) == Decimal("15000.00")
    assert Decimal(totals["spent"]) == Decimal("4321.09")


def test_only_progress_accepted_in_the_period_is_narrated(world):
    instrument = funded(world.own)
    activity = ActivityFactory(workplan=instrument.cap_case.workplans.get(status=WorkplanStatus.APPROVED))
    reviewed = timezone.make_aware(datetime.datetime(2024, 7, 2, 10))
    ProgressUpdateFactory(
        activity=activity, narrative="Accepted in the period.", review_status="accepted", reviewed_at=reviewed
    )
    ProgressUpdateFactory(activity=activity, narrative="Still awaiting review.", review_status="submitted")
    ProgressUpdateFactory(
        activity=activity,
        narrative="Accepted after the period.",
        review_status="accepted",
        reviewed_at=reviewed + datetime.timedelta(days=365),
    )
    narratives = snapshot(instrument, D(2024, 1, 1), D(2024, 12, 31))["narratives"]
    assert [u["narrative"] for a in narratives for u in a["updates"]] == ["Accepted in the period."]
    assert narratives[0]["code"] == activity.code


def test_each_statement_is_a_numbered_version_with_its_checksums(world, own_instrument, produce):
    manager = world.users["case_manager"]
    first = produce(own_instrument, manager)
    second = produce(own_instrument, manager, period_start=D(2024, 3, 1), period_end=D(2024, 12, 31))
    assert (first.number, second.number) == (1, 2)
    for statement in (first, second):
        assert statement.sha256 == hashlib.sha256(statement.pdf.read()).hexdigest()
        assert statement.xlsx_sha256 == hashlib.sha256(statement.xlsx.read()).hexdigest()
        assert statement.page_count >= 1
    assert first.snapshot["totals"]["received"] == "40000.00"
    assert second.snapshot["totals"]["received"] == "0.00"  # received 15 Feb, before the period


def test_a_period_ending_before_it_starts_is_refused_with_the_field_named(world, own_instrument, api_client):
    api_client.force_authenticate(world.users["case_manager"])
    response = api_client.post(
        reverse("api:statement-list"),
        {"instrument": own_instrument.pk, "period_start": "2024-06-01", "period_end": "2024-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["period_end"]
    assert not DonorStatement.objects.exists()


def test_a_failed_render_says_why(world, own_instrument, produce, monkeypatch):
    """An error in the worker marks the statement failed with its message; no file, no number."""
    import statements.services as services

    def broken(snapshot):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services, "render_statement_pdf", broken)
    statement = produce(own_instrument, world.users["case_manager"])
    assert statement.state == "failed" and "no fonts" in statement.message
    assert statement.number is None and not statement.pdf
