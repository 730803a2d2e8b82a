"""Builders for the funding tests. The own Party's (Togo's) records are funded by the world's
``donor`` (EU), the other Party's (Nigeria's) by ``other_donor`` (Switzerland), so the donor
observer sees exactly the own Party's records."""

import datetime
import itertools
from decimal import Decimal

from django.db.models import Max

from budgets.models import (
    BudgetLine,
    Expenditure,
    Fund,
    FundingSource,
    Installment,
    LegalInstrument,
    NoCostExtension,
)
from parties.models import Donor
from tests.workplans.factories import cap_case_for, make_workplan
from workplans.choices import WorkplanStatus

D = datetime.date
_counter = itertools.count(1)


def donor_for(party) -> Donor:
    return Donor.objects.get(short_name="EU" if party.code == "TG" else "CH")


def source_for(party, fund=Fund.QTL) -> FundingSource:
    donor = donor_for(party)
    source, _ = FundingSource.objects.get_or_create(
        fund=fund, donor=donor, defaults={"name": f"{donor.short_name} {fund}"}
    )
    return source


def make_source(party) -> FundingSource:
    return FundingSource.objects.create(
        fund=Fund.QTL, donor=donor_for(party), name=f"Source {next(_counter)}"
    )


def make_instrument(party, **kwargs) -> LegalInstrument:
    values = {
        "counterpart_name": "Management Authority",
        "reference": f"CAP/{party.code}/{next(_counter)}",
        "signed_on": D(2024, 1, 1),
        "starts_on": D(2024, 1, 1),
        "ends_on": D(2024, 12, 31),
        "amount": Decimal("100000.00"),
        "currency": "USD",
        "exchange_rate": Decimal("1"),
    }
    sources = kwargs.pop("funding_sources", None) or [source_for(party)]
    values.update(kwargs)
    instrument = LegalInstrument.objects.create(cap_case=cap_case_for(party), **values)
    instrument.funding_sources.set(sources)
    return instrument


def instrument_for(party) -> LegalInstrument:
    return LegalInstrument.objects.filter(cap_case__party=party).first() or make_instrument(party)


def make_extension(party, **kwargs) -> NoCostExtension:
    instrument = kwargs.pop("instrument", None) or instrument_for(party)
    latest = instrument.current_end_date
    values = {
        "new_end_date": latest + datetime.timedelta(days=90),
        "reason": "Funds received late.",
        "granted_on": latest,
    }
    values.update(kwargs)
    return NoCostExtension.objects.create(instrument=instrument, **values)


def make_installment(party, **kwargs) -> Installment:
    instrument = kwargs.pop("instrument", None) or instrument_for(party)
    number = (instrument.installments.aggregate(n=Max("number"))["n"] or 0) + 1
    values = {
        "number": number,
        "funding_source": instrument.funding_sources.first(),
        "planned_on": D(2024, 2, 1),
        "amount": Decimal("1000.00"),
        "currency": "USD",
        "exchange_rate": Decimal("1"),
    }
    values.update(kwargs)
    return Installment.objects.create(instrument=instrument, **values)


def draft_workplan_for(party):
    existing = cap_case_for(party).workplans.filter(status=WorkplanStatus.DRAFT).order_by("-version").first()
    return existing or make_workplan(party)


def make_line(party, **kwargs) -> BudgetLine:
    values = {
        "workplan": kwargs.pop("workplan", None) or draft_workplan_for(party),
        "category": "workshops",
        "description": f"Workshop {next(_counter)}",
        "unit": "Flat rate",
        "units": Decimal("2"),
        "rate": Decimal("1000.00"),
        "funding_source": kwargs.pop("funding_source", None) or source_for(party),
        "year": 1,
    }
    values.update(kwargs)
    return BudgetLine.objects.create(**values)


def make_expenditure(party, **kwargs) -> Expenditure:
    instrument_for(party)
    values = {
        "budget_line": kwargs.pop("budget_line", None) or make_line(party),
        "spent_on": D(2024, 6, 1),
        "amount": Decimal("500.00"),
        "currency": "USD",
        "exchange_rate": Decimal("1"),
        "description": "Venue hire",
    }
    values.update(kwargs)
    return Expenditure.objects.create(**values)
