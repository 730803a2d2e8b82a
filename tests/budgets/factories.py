"""Factories (factory_boy) for the funding tests. The own Party's (Togo's) records are funded by
the world's ``donor`` (EU), the other Party's (Nigeria's) by ``other_donor`` (Switzerland), so the
donor observer sees exactly the own Party's records.

The ``make_*(party)`` and ``*_for(party)`` helpers are thin wrappers kept for their many callers:
they take a Party and find or make what the factory needs in it (its CAP case, agreement, source).
"""

import datetime
from decimal import Decimal

import factory
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


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    fund = Fund.QTL
    name = factory.Sequence(lambda n: f"Source {n}")


class LegalInstrumentFactory(factory.django.DjangoModelFactory):
    """A funding agreement of a CAP case, in USD; ``funding_sources=[...]`` sets its sources."""

    class Meta:
        model = LegalInstrument
        skip_postgeneration_save = True

    counterpart_name = "Management Authority"
    reference = factory.LazyAttributeSequence(lambda o, n: f"CAP/{o.cap_case.party.code}/{n}")
    signed_on = D(2024, 1, 1)
    starts_on = D(2024, 1, 1)
    ends_on = D(2024, 12, 31)
    amount = Decimal("100000.00")
    currency = "USD"
    exchange_rate = Decimal("1")

    @factory.post_generation
    def funding_sources(self, create, extracted, **kwargs):
        if create and extracted:
            self.funding_sources.set(extracted)


class NoCostExtensionFactory(factory.django.DjangoModelFactory):
    """Ninety more days from the agreement's current end, granted on that end date."""

    class Meta:
        model = NoCostExtension

    new_end_date = factory.LazyAttribute(
        lambda o: o.instrument.current_end_date + datetime.timedelta(days=90)
    )
    reason = "Funds received late."
    granted_on = factory.LazyAttribute(lambda o: o.instrument.current_end_date)


def _next_installment(installment) -> int:
    return (installment.instrument.installments.aggregate(n=Max("number"))["n"] or 0) + 1


class InstallmentFactory(factory.django.DjangoModelFactory):
    """The agreement's next installment, from its first funding source."""

    class Meta:
        model = Installment

    number = factory.LazyAttribute(_next_installment)
    funding_source = factory.LazyAttribute(lambda o: o.instrument.funding_sources.first())
    planned_on = D(2024, 2, 1)
    amount = Decimal("1000.00")
    currency = "USD"
    exchange_rate = Decimal("1")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    category = "workshops"
    description = factory.Sequence(lambda n: f"Workshop {n}")
    unit = "Flat rate"
    units = Decimal("2")
    rate = Decimal("1000.00")
    year = 1


class ExpenditureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expenditure

    spent_on = D(2024, 6, 1)
    amount = Decimal("500.00")
    currency = "USD"
    exchange_rate = Decimal("1")
    description = "Venue hire"


def donor_for(party) -> Donor:
    return Donor.objects.get(short_name="EU" if party.code == "TG" else "CH")


def source_for(party, fund=Fund.QTL) -> FundingSource:
    donor = donor_for(party)
    source, _ = FundingSource.objects.get_or_create(
        fund=fund, donor=donor, defaults={"name": f"{donor.short_name} {fund}"}
    )
    return source


def make_source(party) -> FundingSource:
    return FundingSourceFactory(donor=donor_for(party))


def make_instrument(party, **kwargs) -> LegalInstrument:
    """A new agreement for the Party's CAP case, from its donor's QTL source unless told."""
    kwargs["funding_sources"] = kwargs.get("funding_sources") or [source_for(party)]
    return LegalInstrumentFactory(cap_case=cap_case_for(party), **kwargs)


def instrument_for(party) -> LegalInstrument:
    return LegalInstrument.objects.filter(cap_case__party=party).first() or make_instrument(party)


def make_extension(party, **kwargs) -> NoCostExtension:
    instrument = kwargs.pop("instrument", None) or instrument_for(party)
    return NoCostExtensionFactory(instrument=instrument, **kwargs)


def make_installment(party, **kwargs) -> Installment:
    instrument = kwargs.pop("instrument", None) or instrument_for(party)
    return InstallmentFactory(instrument=instrument, **kwargs)


def draft_workplan_for(party):
    """The Party's draft workplan, its CAP case funded by the Party's donor (its agreement made on
    first use): a budget line takes a funding source of the case's legal instruments."""
    instrument_for(party)
    existing = cap_case_for(party).workplans.filter(status=WorkplanStatus.DRAFT).order_by("-version").first()
    return existing or make_workplan(party)


def make_line(party, **kwargs) -> BudgetLine:
    """A line of the Party's draft workplan, funded by its donor's QTL source (under the case's
    agreement, made on first use) unless told."""
    kwargs["workplan"] = kwargs.get("workplan") or draft_workplan_for(party)
    if not kwargs.get("funding_source"):
        instrument_for(party)  # the donor's source funds the case (``BudgetLine.clean``)
        kwargs["funding_source"] = source_for(party)
    return BudgetLineFactory(**kwargs)


def make_expenditure(party, **kwargs) -> Expenditure:
    """Spending on a new line of the Party's draft workplan (its CAP case funded first)."""
    instrument_for(party)
    kwargs["budget_line"] = kwargs.get("budget_line") or make_line(party)
    return ExpenditureFactory(**kwargs)
