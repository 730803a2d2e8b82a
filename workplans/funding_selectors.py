"""Every funding figure, computed in one place with ``Decimal`` (never float, never stored).

- **committed**: the legal instruments' amounts in USD (per donor: the installments planned from
  the donor's funding sources, since an agreement funded by several donors is split by its
  installments);
- **received**: the installments received by the Party (on or before the date of the figures);
- **spent**: the expenditure reported (on or before that date);
- **budget**: the budget lines of the workplan version that counts — the approved version of the
  CAP case, else its latest version;
- **absorption**: spent ÷ received and spent ÷ budget (``None`` when the denominator is 0);
- **balance**: received − spent (funds in the Party's hands); **to disburse**: committed − received.

Callers pass querysets already restricted to the user (``Model.objects.restrict(user)``), so a
donor observer's figures cover what the donor funds, and a focal point's their own Party.
Sums run in Python with ``Decimal``: SQLite multiplies and sums decimals as floats.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from .choices import ActivityStatus, WorkplanStatus
from .funding import (
    ZERO,
    BudgetCategory,
    BudgetLine,
    Expenditure,
    Fund,
    Installment,
    LegalInstrument,
    NoCostExtension,
)
from .models import Activity, Workplan

RATIO = Decimal("0.0001")
# Montreal Protocol Multilateral Fund rules (the delay flags).
NO_FUNDS_MONTHS = 18
UNFINISHED_MONTHS = 12
FINISHED_ACTIVITY = (ActivityStatus.COMPLETED, ActivityStatus.CANCELLED)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """``numerator ÷ denominator`` to four decimals (0.8123 = 81.23 %); None when dividing by 0."""
    if not denominator:
        return None
    return (numerator / denominator).quantize(RATIO, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """Committed, received, spent and budget in USD, and what follows from them."""

    committed: Decimal = ZERO
    received: Decimal = ZERO
    spent: Decimal = ZERO
    budget: Decimal = ZERO

    @property
    def absorption_of_received(self) -> Decimal | None:
        return ratio(self.spent, self.received)

    @property
    def absorption_of_budget(self) -> Decimal | None:
        return ratio(self.spent, self.budget)

    @property
    def percent_of_received(self) -> Decimal | None:
        """Spent ÷ received as a percentage with one decimal, for display."""
        value = self.absorption_of_received
        return None if value is None else (value * 100).quantize(Decimal("0.1"))

    @property
    def percent_of_budget(self) -> Decimal | None:
        value = self.absorption_of_budget
        return None if value is None else (value * 100).quantize(Decimal("0.1"))

    @property
    def balance(self) -> Decimal:
        return self.received - self.spent

    @property
    def to_disburse(self) -> Decimal:
        return self.committed - self.received

    def as_dict(self) -> dict:
        return {
            "committed": self.committed,
            "received": self.received,
            "spent": self.spent,
            "budget": self.budget,
            "balance": self.balance,
            "to_disburse": self.to_disburse,
            "absorption_of_received": self.absorption_of_received,
            "absorption_of_budget": self.absorption_of_budget,
        }


# --- which workplan's budget counts --------------------------------------------------------


def budget_workplan_ids(cap_case_ids=None) -> dict[int, int]:
    """CAP case id → the id of the workplan version whose budget counts: the approved version,
    else the latest version. One query."""
    workplans = Workplan.objects.all()
    if cap_case_ids is not None:
        workplans = workplans.filter(cap_case_id__in=list(cap_case_ids))
    chosen: dict[int, tuple] = {}
    for pk, cap_case_id, status, version in workplans.values_list("pk", "cap_case_id", "status", "version"):
        key = (status == WorkplanStatus.APPROVED, version)
        if cap_case_id not in chosen or key > chosen[cap_case_id][0]:
            chosen[cap_case_id] = (key, pk)
    return {cap_case_id: pk for cap_case_id, (_key, pk) in chosen.items()}


def budget_lines_that_count(lines):
    """Narrow a budget line queryset to the workplan versions whose budget counts."""
    return lines.filter(workplan_id__in=list(budget_workplan_ids().values()))


# --- absorption summary --------------------------------------------------------------------


@dataclass
class AbsorptionSummary:
    as_of: date
    programme: Figures
    parties: list = field(default_factory=list)  # [(Party, Figures)], by Party name
    donors: list = field(default_factory=list)  # [(Donor, Figures)], by donor name
    funds: list = field(default_factory=list)  # [(Fund, Figures)]


def absorption_summary(*, user, as_of: date | None = None) -> AbsorptionSummary:
    """Figures per Party, per donor, per fund and for the programme, over what ``user`` may see."""
    return absorption_from(
        instruments=LegalInstrument.objects.restrict(user),
        installments=Installment.objects.restrict(user),
        lines=BudgetLine.objects.restrict(user),
        expenditures=Expenditure.objects.restrict(user),
        as_of=as_of,
    )


def absorption_from(*, instruments, installments, lines, expenditures, as_of=None) -> AbsorptionSummary:
    """The summary from the given querysets (five queries whatever their size)."""
    as_of = as_of or timezone.localdate()
    programme = Figures()
    parties: dict = {}
    donors: dict = {}
    funds: dict = {}
    by_party: dict[int, Figures] = defaultdict(Figures)
    by_donor: dict[int, Figures] = defaultdict(Figures)
    by_fund: dict[str, Figures] = defaultdict(Figures)

    def source_targets(source):
        targets = [by_fund[source.fund]]
        funds[source.fund] = Fund(source.fund)
        if source.donor_id:
            donors[source.donor_id] = source.donor
            targets.append(by_donor[source.donor_id])
        return targets

    for instrument in instruments.select_related("cap_case__party"):
        party = instrument.cap_case.party
        parties[party.pk] = party
        amount = instrument.amount_usd or ZERO
        programme.committed += amount
        by_party[party.pk].committed += amount

    for installment in installments.select_related("instrument__cap_case__party", "funding_source__donor"):
        party = installment.instrument.cap_case.party
        parties[party.pk] = party
        amount = installment.amount_usd or ZERO
        received = installment.received_on is not None and installment.received_on <= as_of
        for figures in source_targets(installment.funding_source):
            figures.committed += amount
            if received:
                figures.received += amount
        if received:
            programme.received += amount
            by_party[party.pk].received += amount

    for line in budget_lines_that_count(lines).select_related(
        "workplan__cap_case__party", "funding_source__donor"
    ):
        party = line.workplan.cap_case.party
        parties[party.pk] = party
        amount = line.amount
        programme.budget += amount
        by_party[party.pk].budget += amount
        for figures in source_targets(line.funding_source):
            figures.budget += amount

    spent = expenditures.filter(spent_on__lte=as_of).select_related(
        "budget_line__workplan__cap_case__party", "budget_line__funding_source__donor"
    )
    for expenditure in spent:
        party = expenditure.budget_line.workplan.cap_case.party
        parties[party.pk] = party
        amount = expenditure.amount_usd or ZERO
        programme.spent += amount
        by_party[party.pk].spent += amount
        for figures in source_targets(expenditure.budget_line.funding_source):
            figures.spent += amount

    return AbsorptionSummary(
        as_of=as_of,
        programme=programme,
        parties=sorted(((parties[k], v) for k, v in by_party.items()), key=lambda p: p[0].name),
        donors=sorted(((donors[k], v) for k, v in by_donor.items()), key=lambda d: d[0].name),
        funds=[(funds[k], by_fund[k]) for k in sorted(by_fund)],
    )


def cap_case_figures(*, user, cap_case_id: int, as_of=None) -> Figures:
    """The figures of one CAP case, over what ``user`` may see."""
    summary = absorption_from(
        instruments=LegalInstrument.objects.restrict(user).filter(cap_case_id=cap_case_id),
        installments=Installment.objects.restrict(user).filter(instrument__cap_case_id=cap_case_id),
        lines=BudgetLine.objects.restrict(user).filter(workplan__cap_case_id=cap_case_id),
        expenditures=Expenditure.objects.restrict(user).filter(
            budget_line__workplan__cap_case_id=cap_case_id
        ),
        as_of=as_of,
    )
    return summary.programme


def instrument_figures(instrument, *, as_of=None) -> dict:
    """One legal instrument: committed, received, to disburse (its installments must be prefetched
    or are read here)."""
    as_of = as_of or timezone.localdate()
    installments = list(instrument.installments.all())
    committed = instrument.amount_usd or ZERO
    received = sum(
        (i.amount_usd or ZERO for i in installments if i.received_on and i.received_on <= as_of), ZERO
    )
    planned = sum((i.amount_usd or ZERO for i in installments), ZERO)
    return {
        "committed": committed,
        "planned_installments": planned,
        "received": received,
        "to_disburse": committed - received,
        "received_share": ratio(received, committed),
    }


# --- delay flags ---------------------------------------------------------------------------


@dataclass
class Delays:
    """The Multilateral Fund's delay flags for one legal instrument, as of a date."""

    no_funds_after_18_months: bool = False
    unfinished_12_months_after_end: bool = False
    overdue_installments: list = field(default_factory=list)  # installment numbers

    @property
    def any(self) -> bool:
        return (
            self.no_funds_after_18_months
            or self.unfinished_12_months_after_end
            or bool(self.overdue_installments)
        )

    def as_dict(self) -> dict:
        return {
            "no_funds_after_18_months": self.no_funds_after_18_months,
            "unfinished_12_months_after_end": self.unfinished_12_months_after_end,
            "overdue_installments": self.overdue_installments,
        }


def delay_flags(instruments, *, as_of=None) -> dict[int, Delays]:
    """Instrument id → its delay flags as of ``as_of`` (today by default). Three queries:

    - no installment received within 18 months of signature, once 18 months have passed;
    - work unfinished (an activity of the case's workplan neither completed nor cancelled)
      12 months after the current end date (no-cost extensions included);
    - installments planned before ``as_of`` and not received by then.
    """
    as_of = as_of or timezone.localdate()
    instruments = list(instruments.with_current_end())
    ids = [i.pk for i in instruments]
    installments = defaultdict(list)
    for row in Installment.objects.filter(instrument_id__in=ids).values(
        "instrument_id", "number", "planned_on", "received_on"
    ):
        installments[row["instrument_id"]].append(row)
    workplan_ids = budget_workplan_ids({i.cap_case_id for i in instruments})
    unfinished_cases = set(
        Activity.objects.filter(workplan_id__in=list(workplan_ids.values()))
        .exclude(status__in=FINISHED_ACTIVITY)
        .values_list("workplan__cap_case_id", flat=True)
    )
    flags: dict[int, Delays] = {}
    for instrument in instruments:
        rows = installments[instrument.pk]
        deadline = instrument.signed_on + relativedelta(months=NO_FUNDS_MONTHS)
        received_in_time = any(r["received_on"] and r["received_on"] <= min(deadline, as_of) for r in rows)
        unfinished_after = instrument.current_end + relativedelta(months=UNFINISHED_MONTHS)
        flags[instrument.pk] = Delays(
            no_funds_after_18_months=as_of > deadline and not received_in_time,
            unfinished_12_months_after_end=as_of > unfinished_after
            and instrument.cap_case_id in unfinished_cases,
            overdue_installments=sorted(
                r["number"]
                for r in rows
                if r["planned_on"] < as_of and not (r["received_on"] and r["received_on"] <= as_of)
            ),
        )
    return flags


# --- the budget table (CoP18 Doc. 28 Annex 2) ---------------------------------------------


def _zero_by_fund() -> dict:
    return {fund: ZERO for fund in Fund.values}


@dataclass
class BudgetTotals:
    """Totals of a set of budget lines: year 1 by fund, each year, and the whole period."""

    year1_by_fund: dict = field(default_factory=_zero_by_fund)
    period_by_fund: dict = field(default_factory=_zero_by_fund)
    per_year: dict = field(default_factory=dict)

    @property
    def year1(self) -> Decimal:
        return self.per_year.get(1, ZERO)

    @property
    def period(self) -> Decimal:
        return sum(self.per_year.values(), ZERO)

    def add(self, line: BudgetLine) -> None:
        amount = line.amount
        fund = line.funding_source.fund
        self.per_year[line.year] = self.per_year.get(line.year, ZERO) + amount
        self.period_by_fund[fund] += amount
        if line.year == 1:
            self.year1_by_fund[fund] += amount

    def as_dict(self, years) -> dict:
        return {
            "year1_ctl": self.year1_by_fund[Fund.CTL],
            "year1_qtl": self.year1_by_fund[Fund.QTL],
            "year1": self.year1,
            "per_year": {str(y): self.per_year.get(y, ZERO) for y in years},
            "period_ctl": self.period_by_fund[Fund.CTL],
            "period_qtl": self.period_by_fund[Fund.QTL],
            "period": self.period,
        }


@dataclass
class BudgetRow:
    """One activity of the table: the same item over the years of the period."""

    description: str
    unit: str
    units: Decimal
    rate: Decimal
    fund: str
    activity: object
    lines: list = field(default_factory=list)
    totals: BudgetTotals = field(default_factory=BudgetTotals)


@dataclass
class BudgetBlock:
    category: str
    label: str
    rows: list = field(default_factory=list)
    subtotal: BudgetTotals = field(default_factory=BudgetTotals)


@dataclass
class BudgetTable:
    blocks: list
    totals: BudgetTotals
    years: list

    def as_dict(self) -> dict:
        return {
            "years": self.years,
            "categories": [
                {
                    "category": block.category,
                    "label": str(block.label),
                    "rows": [
                        {
                            "description": row.description,
                            "unit": row.unit,
                            "units": row.units,
                            "rate": row.rate,
                            "fund": row.fund,
                            "activity": row.activity.pk if row.activity else None,
                            "lines": [line.pk for line in row.lines],
                            **row.totals.as_dict(self.years),
                        }
                        for row in block.rows
                    ],
                    "subtotal": block.subtotal.as_dict(self.years),
                }
                for block in self.blocks
            ],
            "totals": self.totals.as_dict(self.years),
        }


def budget_table(lines) -> BudgetTable:
    """Lines grouped by category (Annex 2 order) with subtotals; a row per item over the years
    (the same description, unit, units, rate and fund); totals per fund for year 1 and the period."""
    blocks = {category: BudgetBlock(category, label) for category, label in BudgetCategory.choices}
    rows: dict[tuple, BudgetRow] = {}
    totals = BudgetTotals()
    years: set[int] = set()
    for line in sorted(lines, key=lambda ln: (ln.year, ln.pk)):
        fund = line.funding_source.fund
        key = (line.category, line.description, line.unit, line.units, line.rate, fund, line.activity_id)
        row = rows.get(key)
        if row is None:
            row = rows[key] = BudgetRow(
                line.description, line.unit, line.units, line.rate, fund, line.activity
            )
            blocks[line.category].rows.append(row)
        row.lines.append(line)
        row.totals.add(line)
        blocks[line.category].subtotal.add(line)
        totals.add(line)
        years.add(line.year)
    return BudgetTable(
        blocks=[block for block in blocks.values() if block.rows],
        totals=totals,
        years=sorted(years | {1}),
    )


# --- the SC report's figures --------------------------------------------------------------------


def report_budget_figures(party_ids, as_of: date) -> dict:
    """The figures the Standing Committee report shows, for the Parties it covers, as of a date
    (the whole portfolio: the report is the Secretariat's). Amounts are ``Decimal`` USD;
    ``no_cost_extensions`` counts the extensions granted on or before ``as_of``."""
    party_ids = list(party_ids)
    summary = absorption_from(
        instruments=LegalInstrument.objects.filter(cap_case__party_id__in=party_ids, signed_on__lte=as_of),
        installments=Installment.objects.filter(instrument__cap_case__party_id__in=party_ids),
        lines=BudgetLine.objects.filter(workplan__cap_case__party_id__in=party_ids),
        expenditures=Expenditure.objects.filter(budget_line__workplan__cap_case__party_id__in=party_ids),
        as_of=as_of,
    )
    extensions: dict[int, int] = defaultdict(int)
    granted = NoCostExtension.objects.filter(
        instrument__cap_case__party_id__in=party_ids, granted_on__lte=as_of
    ).values_list("instrument__cap_case__party_id", flat=True)
    for party_id in granted:
        extensions[party_id] += 1

    def row(figures: Figures) -> dict:
        return {
            "committed": figures.committed,
            "budget": figures.budget,
            "received": figures.received,
            "spent": figures.spent,
        }

    return {
        "currency": "USD",
        "parties": [
            {"party_id": party.pk, **row(figures), "no_cost_extensions": extensions.get(party.pk, 0)}
            for party, figures in summary.parties
        ],
        "donors": [{"donor": donor.name, **row(figures)} for donor, figures in summary.donors],
    }
