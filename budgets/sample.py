"""Sample funding of the eight SC78 beneficiary Parties (SC78 Doc. paras. 6 and 43–50).

From the document: the four donors (para. 6); a legal instrument per Party, signed with the MA
except in Suriname, where the agreement is with the UNDP country office (paras. 22 and 48);
an initial period of one year in Guinea, Nigeria, Suriname and Togo, each extended at no cost
(para. 43); budgets of at most USD 100,000 (para. 50); most of the budget consumed (para. 49).
The document gives no amounts, dates, donor per Party, installments or expenditure: those are
invented, and the rows are marked ``is_illustrative=True``.

Runs after ``workplans.sample.load``; creates what is missing and changes nothing on a second run.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from cases.models import CapCase
from parties.models import Donor
from workplans.models import Workplan

from .models import (
    BudgetLine,
    CounterpartKind,
    Expenditure,
    Fund,
    FundingSource,
    Installment,
    LegalInstrument,
    NoCostExtension,
)

D = datetime.date
ONE_YEAR = {"GN", "NG", "SR", "TG"}  # SC78 Doc. para. 43

# Party: (donor short name, amount in USD, counterpart, share of the budget spent) — illustrative.
FUNDING = {
    "KH": ("EU", "95000.00", CounterpartKind.MANAGEMENT_AUTHORITY, "0.85"),
    "GN": ("CH", "80000.00", CounterpartKind.MANAGEMENT_AUTHORITY, "0.90"),
    "LA": ("EU", "100000.00", CounterpartKind.MANAGEMENT_AUTHORITY, "0.25"),
    "NG": ("UK", "90000.00", CounterpartKind.MANAGEMENT_AUTHORITY, "0.80"),
    "SB": ("USA", "75000.00", CounterpartKind.MANAGEMENT_AUTHORITY, "0.70"),
    "SR": ("CH", "85000.00", CounterpartKind.UNDP_COUNTRY_OFFICE, "0.88"),
    "TG": ("EU", "70000.00", CounterpartKind.MANAGEMENT_AUTHORITY, "0.92"),
    "VN": ("USA", "100000.00", CounterpartKind.MANAGEMENT_AUTHORITY, "0.60"),
}
# Share of the budget per line: (category, description, unit, share of the amount)
LINES = [
    ("consultancies", "National consultants (legal and scientific)", "Person-months", Decimal("0.35")),
    ("workshops", "National coordination and training workshops", "Flat rate", Decimal("0.30")),
    ("technical_missions", "Technical missions", "Number of missions", Decimal("0.15")),
    ("equipment", "Equipment and materials", "Lump sum", Decimal("0.10")),
    ("other", "Communication, translation and printing", "Lump sum", Decimal("0.10")),
]


def _sources() -> dict[str, FundingSource]:
    sources = {}
    FundingSource.objects.get_or_create(fund=Fund.CTL, donor=None, defaults={"name": "CITES Trust Fund"})
    for donor in Donor.objects.all():
        key = donor.short_name or donor.name
        sources[key], _ = FundingSource.objects.get_or_create(
            fund=Fund.QTL, donor=donor, defaults={"name": f"{key} contribution to the CAP (external funds)"}
        )
    return sources


@transaction.atomic
def load() -> None:
    """Create the funding sources, a legal instrument per SC78 Party with installments, no-cost
    extensions, budget lines and expenditure (idempotent)."""
    sources = _sources()
    cases = {c.party.code: c for c in CapCase.objects.select_related("party").filter(party__code__in=FUNDING)}
    workplan_ids = Workplan.objects.in_force_ids([c.pk for c in cases.values()])
    for code, (donor, amount, counterpart, spent_share) in FUNDING.items():
        cap_case, source = cases.get(code), sources.get(donor)
        if cap_case is None or source is None or cap_case.pk not in workplan_ids:
            continue
        workplan = cap_case.workplans.get(pk=workplan_ids[cap_case.pk])
        amount = Decimal(amount)
        starts = workplan.starts_on
        ends = (
            starts.replace(year=starts.year + 1) - datetime.timedelta(days=1)
            if code in ONE_YEAR
            else workplan.ends_on
        )
        counterpart_name = (
            "UNDP Suriname country office"
            if counterpart == CounterpartKind.UNDP_COUNTRY_OFFICE
            else f"CITES Management Authority of {cap_case.party.name}"
        )
        instrument, created = LegalInstrument.objects.get_or_create(
            reference=f"CITES/CAP/{code}/1",
            defaults={
                "cap_case": cap_case,
                "counterpart_kind": counterpart,
                "counterpart_name": counterpart_name,
                "signed_on": starts - datetime.timedelta(days=30),
                "starts_on": starts,
                "ends_on": ends,
                "amount": amount,
                "currency": "USD",
                "exchange_rate": Decimal("1"),
                "is_illustrative": True,
                "notes": "Amounts and dates illustrative; counterpart from SC78 Doc. paras. 22 and 47–48.",
            },
        )
        if not created:
            continue
        instrument.funding_sources.set([source])
        if code in ONE_YEAR and workplan.ends_on > ends:
            NoCostExtension.objects.create(
                instrument=instrument,
                new_end_date=workplan.ends_on,
                reason="Difficulties in the disbursement and receipt of funds; activities not completed "
                "within the initial one-year period (SC78 Doc. paras. 43 and 47).",
                granted_on=ends - datetime.timedelta(days=30),
            )
        first = (amount * Decimal("0.7")).quantize(Decimal("0.01"))
        Installment.objects.create(
            instrument=instrument, number=1, funding_source=source, planned_on=starts,
            amount=first, currency="USD", exchange_rate=Decimal("1"),
            transferred_on=starts + datetime.timedelta(days=20),
            received_on=starts + datetime.timedelta(days=75),  # receipt of funds is slow (para. 49)
            is_illustrative=True,
        )  # fmt: skip
        second_planned = starts + datetime.timedelta(days=240)
        late = code == "LA"  # the latest CAP: second installment not yet due or received
        Installment.objects.create(
            instrument=instrument, number=2, funding_source=source, planned_on=second_planned,
            amount=amount - first, currency="USD", exchange_rate=Decimal("1"),
            transferred_on=None if late else second_planned + datetime.timedelta(days=10),
            received_on=None if late else second_planned + datetime.timedelta(days=60),
            is_illustrative=True,
        )  # fmt: skip
        for category, description, unit, share in LINES:
            line = BudgetLine.objects.create(
                workplan=workplan, category=category, description=description, unit=unit,
                units=Decimal("1"), rate=(amount * share).quantize(Decimal("0.01")),
                funding_source=source, year=1, is_illustrative=True,
            )  # fmt: skip
            Expenditure.objects.create(
                budget_line=line,
                spent_on=starts + datetime.timedelta(days=120),
                amount=(line.amount * Decimal(spent_share)).quantize(Decimal("0.01")),
                currency="USD",
                exchange_rate=Decimal("1"),
                description=f"{description}: expenditure reported",
                is_illustrative=True,
            )
