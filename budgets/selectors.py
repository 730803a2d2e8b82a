"""Every funding figure, computed in one place with ``Decimal`` (never float, never stored).

- **committed**: the legal instruments' amounts in USD (per donor: the installments planned from
  the donor's funding sources, since an agreement funded by several donors is split by its
  installments);
- **received**: the installments received by the Party (on or before the date of the figures);
- **spent**: the expenditure reported (on or before that date);
- **budget**: the budget lines of the workplan version in force on the date of the figures
  (``BudgetLine.objects.in_force``: the latest version approved by then; a CAP case with no
  version approved by then has no budget — draft money is not programme money);
- **absorption**: spent ÷ received and spent ÷ budget, as a percentage by :func:`absorption_rate`
  (the one rule: the exact quotient × 100 rounded once, half up, to one decimal; ``None`` when the
  denominator is 0), used by every page, the API, the exports and the SC report;
- **balance**: received − spent (funds in the Party's hands); **to disburse**: committed − received.

Callers pass querysets already restricted to the user (``Model.objects.restrict(user)``), so a
donor observer's figures cover what the donor funds, and a focal point's their own Party.
Every amount is converted to USD and rounded to the cent row by row, then summed per group
(Party, funding source, category) by ``_grouped_sums``: in SQL on PostgreSQL, whose ``numeric``
arithmetic is exact; in Python with ``Decimal`` on SQLite, which multiplies and sums decimals as
floats. Both give the same cents.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db import connections
from django.db.models import BooleanField, Case, DecimalField, F, Prefetch, Sum, Value, When
from django.db.models.functions import Round
from django.utils import timezone

from parties.models import Donor, Party
from workplans.choices import FINISHED_ACTIVITY_STATUSES
from workplans.models import Activity, Workplan

from .models import (
    ZERO,
    BudgetCategory,
    BudgetLine,
    Currency,
    Expenditure,
    Fund,
    FundingSource,
    Installment,
    LegalInstrument,
    NoCostExtension,
    line_amount,
    money,
    to_usd,
)

PERCENT = Decimal("0.1")
# Montreal Protocol Multilateral Fund rules (the delay flags).
NO_FUNDS_MONTHS = 18
UNFINISHED_MONTHS = 12


def absorption_rate(spent: Decimal | None, base: Decimal | None) -> Decimal | None:
    """``spent`` as a percentage of ``base`` (funds received, or the budget): the exact quotient
    × 100 rounded once, half up, to one decimal (813.45 of 1,000 → 81.3); None when ``base`` is 0
    or missing. The one absorption rule: the pages, the dashboard, the API, the XLSX exports and
    the SC report all take their percentage from here (docs/budgets.md)."""
    if spent is None or not base:
        return None
    return (Decimal(spent) * 100 / Decimal(base)).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass
class Figures:
    """Committed, received, spent and budget in USD, and what follows from them."""

    committed: Decimal = ZERO
    received: Decimal = ZERO
    spent: Decimal = ZERO
    budget: Decimal = ZERO

    @property
    def absorption_of_received(self) -> Decimal | None:
        """Spent as a percentage of the funds received, one decimal (:func:`absorption_rate`)."""
        return absorption_rate(self.spent, self.received)

    @property
    def absorption_of_budget(self) -> Decimal | None:
        """Spent as a percentage of the budget, one decimal (:func:`absorption_rate`)."""
        return absorption_rate(self.spent, self.budget)

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


def budget_lines_that_count(lines, as_of=None):
    """Narrow a budget line queryset to the workplan versions in force on ``as_of``: approved
    by then and not yet superseded (``BudgetLineQuerySet.in_force``, the one rule). A draft's
    lines are not programme money."""
    return lines.in_force(as_of)


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


def _sums_in_sql(queryset) -> bool:
    """Whether money is summed by the database: PostgreSQL's ``numeric`` is exact (``ROUND`` rounds
    half away from zero, as ``ROUND_HALF_UP`` does), SQLite computes decimals as floats."""
    return connections[queryset.db].vendor == "postgresql"


# What is summed: an amount in its currency converted to USD (``MoneyMixin.amount_usd``), or a
# budget line's amount (``BudgetLine.amount`` / ``BudgetLine.AMOUNT``), each rounded to the cent
# row by row.
USD, LINE = "usd", "line"
_SUMMED_FIELDS = {USD: ("amount", "currency", "exchange_rate"), LINE: ("units", "rate")}
_SUM_FIELD = DecimalField(max_digits=28, decimal_places=2)


def _row_amount(kind: str, values) -> Decimal:
    """A row's amount in USD, in Python, by the rules of the models (0 while a rate is missing)."""
    if kind == LINE:
        return line_amount(*values)
    return to_usd(*values) or ZERO


def _row_amount_sql(kind: str):
    """The same in SQL: ``ROUND(x, 2)`` of the exact product, NULL (left out of the sum) while a
    rate is missing."""
    if kind == LINE:
        return BudgetLine.AMOUNT
    return Case(
        When(currency=Currency.USD, then=F("amount")),
        default=Round(F("amount") * F("exchange_rate"), 2),
        output_field=_SUM_FIELD,
    )


def _grouped_sums(queryset, keys: list[str], kind: str) -> dict[tuple, Decimal]:
    """``{(key values): sum in USD}`` for each group of rows of ``queryset`` (one query). Every
    row is converted and rounded to the cent before summing; the database sums on PostgreSQL,
    Python sums the rows' values on SQLite (``_sums_in_sql``); a group without an amount is 0."""
    queryset = queryset.order_by()
    if _sums_in_sql(queryset):
        rows = queryset.values(*keys).annotate(total=Sum(_row_amount_sql(kind)))
        return {tuple(row[k] for k in keys): money(row["total"] or ZERO) for row in rows}
    sums: dict[tuple, Decimal] = {}
    width = len(keys)
    for row in queryset.values_list(*keys, *_SUMMED_FIELDS[kind]):
        key = row[:width]
        sums[key] = sums.get(key, ZERO) + _row_amount(kind, row[width:])
    return sums


def absorption_from(*, instruments, installments, lines, expenditures, as_of=None) -> AbsorptionSummary:
    """The summary from the given querysets: sums per Party and funding source computed by
    ``_grouped_sums`` (one query each), then the Parties and the sources read (seven queries
    whatever their size)."""
    as_of = as_of or timezone.localdate()
    committed = _grouped_sums(instruments, ["cap_case__party_id"], USD)
    planned = _grouped_sums(
        installments.annotate(
            is_received=Case(
                When(received_on__lte=as_of, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        ),
        ["instrument__cap_case__party_id", "funding_source_id", "is_received"],
        USD,
    )
    budgeted = _grouped_sums(
        budget_lines_that_count(lines, as_of), ["workplan__cap_case__party_id", "funding_source_id"], LINE
    )
    spent = _grouped_sums(
        expenditures.filter(spent_on__lte=as_of),
        ["budget_line__workplan__cap_case__party_id", "budget_line__funding_source_id"],
        USD,
    )
    parties = Party.objects.in_bulk(
        {key[0] for sums in (committed, planned, budgeted, spent) for key in sums}
    )
    sources = FundingSource.objects.select_related("donor").in_bulk(
        {key[1] for sums in (planned, budgeted, spent) for key in sums}
    )

    programme = Figures()
    donors: dict = {}
    funds: dict = {}
    by_party: dict[int, Figures] = defaultdict(Figures)
    by_donor: dict[int, Figures] = defaultdict(Figures)
    by_fund: dict[str, Figures] = defaultdict(Figures)

    def source_targets(source_id):
        source = sources[source_id]
        targets = [by_fund[source.fund]]
        funds[source.fund] = Fund(source.fund)
        if source.donor_id:
            donors[source.donor_id] = source.donor
            targets.append(by_donor[source.donor_id])
        return targets

    for (party_id,), amount in committed.items():
        programme.committed += amount
        by_party[party_id].committed += amount

    for (party_id, source_id, received), amount in planned.items():
        for figures in source_targets(source_id):
            figures.committed += amount
            if received:
                figures.received += amount
        if received:
            programme.received += amount
            by_party[party_id].received += amount

    for (party_id, source_id), amount in budgeted.items():
        programme.budget += amount
        by_party[party_id].budget += amount
        for figures in source_targets(source_id):
            figures.budget += amount

    for (party_id, source_id), amount in spent.items():
        programme.spent += amount
        by_party[party_id].spent += amount
        for figures in source_targets(source_id):
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
        "received_share": absorption_rate(received, committed),  # % of committed, the same rule
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
    workplan_ids = Workplan.objects.in_force_ids({i.cap_case_id for i in instruments}, as_of=as_of)
    unfinished_cases = set(
        Activity.objects.filter(workplan_id__in=list(workplan_ids.values()))
        .exclude(status__in=FINISHED_ACTIVITY_STATUSES)
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


def report_budget_figures(party_ids, as_of: date, recorded_by=None) -> dict:
    """The figures the Standing Committee report shows, for the Parties it covers, as of a date
    (the whole portfolio: the report is the Secretariat's): per Party, per donor and for all of
    them (``programme``). Amounts are ``Decimal`` USD; ``absorption`` is spent as a percentage of
    the funds received (:func:`absorption_rate`); ``no_cost_extensions`` counts the extensions
    granted on or before ``as_of``. With ``recorded_by`` (the moment a report takes its data),
    records entered after that moment do not exist, whatever date they carry."""
    party_ids = list(party_ids)

    def known(queryset):
        return queryset.filter(created__lte=recorded_by) if recorded_by is not None else queryset

    summary = absorption_from(
        instruments=known(
            LegalInstrument.objects.filter(cap_case__party_id__in=party_ids, signed_on__lte=as_of)
        ),
        installments=known(Installment.objects.filter(instrument__cap_case__party_id__in=party_ids)),
        lines=known(BudgetLine.objects.filter(workplan__cap_case__party_id__in=party_ids)),
        expenditures=known(
            Expenditure.objects.filter(budget_line__workplan__cap_case__party_id__in=party_ids)
        ),
        as_of=as_of,
    )
    extensions: dict[int, int] = defaultdict(int)
    granted = known(
        NoCostExtension.objects.filter(instrument__cap_case__party_id__in=party_ids, granted_on__lte=as_of)
    ).values_list("instrument__cap_case__party_id", flat=True)
    for party_id in granted:
        extensions[party_id] += 1

    def row(figures: Figures) -> dict:
        return {
            "committed": figures.committed,
            "budget": figures.budget,
            "received": figures.received,
            "spent": figures.spent,
            "absorption": figures.absorption_of_received,
        }

    return {
        "currency": "USD",
        "programme": row(summary.programme),
        "parties": [
            {"party_id": party.pk, **row(figures), "no_cost_extensions": extensions.get(party.pk, 0)}
            for party, figures in summary.parties
        ],
        "donors": [{"donor": donor.name, **row(figures)} for donor, figures in summary.donors],
    }


@dataclass
class InstrumentTimeframe:
    """A legal instrument's implementation period as of a date: initial months, and the
    no-cost extensions granted by then (how many, and the months they added)."""

    instrument: object
    party: object
    initial_months: int
    extensions: int
    extension_months: int


def _months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``, a period ending the day before a month's date
    counting as a full month (1 January–31 December: 12)."""
    delta = relativedelta(end + relativedelta(days=1), start)
    return delta.years * 12 + delta.months


def instrument_timeframes(party_ids, as_of: date) -> list[InstrumentTimeframe]:
    """The legal instruments of these Parties signed on or before ``as_of``, with their initial
    implementation period and the no-cost extensions granted on or before ``as_of`` (SC78 Doc.
    para. 43), in Party order. Two queries."""
    extensions = Prefetch(
        "extensions", queryset=NoCostExtension.objects.filter(granted_on__lte=as_of).order_by("new_end_date")
    )
    instruments = (
        LegalInstrument.objects.filter(cap_case__party_id__in=list(party_ids), signed_on__lte=as_of)
        .select_related("cap_case__party")
        .prefetch_related(extensions)
        .order_by("cap_case__party__name", "signed_on", "pk")
    )
    rows = []
    for instrument in instruments:
        granted = list(instrument.extensions.all())
        end = max([instrument.ends_on, *(e.new_end_date for e in granted)])
        rows.append(
            InstrumentTimeframe(
                instrument=instrument,
                party=instrument.cap_case.party,
                initial_months=_months_between(instrument.starts_on, instrument.ends_on),
                extensions=len(granted),
                extension_months=_months_between(instrument.ends_on + relativedelta(days=1), end)
                if granted
                else 0,
            )
        )
    return rows


def funding_donors(party_ids, as_of: date) -> list:
    """The donors whose funding sources fund the legal instruments of these Parties signed on
    or before ``as_of``, by name (the Trust Fund, which has no donor, is not one)."""
    return list(
        Donor.objects.filter(
            funding_sources__legal_instruments__cap_case__party_id__in=list(party_ids),
            funding_sources__legal_instruments__signed_on__lte=as_of,
        )
        .distinct()
        .order_by("name")
    )


# --- the funding page of a CAP case ------------------------------------------------------------


@dataclass
class InstallmentRow:
    installment: object
    overdue: bool
    received: bool


@dataclass
class AgreementView:
    """One agreement of the case page: its installments, figures and delays (its timeline is
    drawn by ``budgets.charts.agreement_timeline``)."""

    instrument: object
    installments: list  # [InstallmentRow]
    figures: dict
    delays: Delays
    planned: Decimal = ZERO
    transferred: Decimal = ZERO
    received: Decimal = ZERO


@dataclass
class CaseFunding:
    cap_case: object
    as_of: date
    agreements: list  # [AgreementView]
    figures: Figures
    workplan: object  # the workplan version in force, approved (None when there is none)
    table: BudgetTable
    later_years: list
    budget_by_category: dict  # category → USD (the budget of the version in force)
    spent_by_category: dict  # category → USD spent by ``as_of``
    # The newer version in preparation (draft, submitted or returned) and its budget, shown apart:
    # it counts in no figure until it is approved.
    draft_workplan: object = None
    draft_table: BudgetTable | None = None

    @property
    def draft_later_years(self) -> list:
        return [y for y in self.draft_table.years if y != 1] if self.draft_table else []


def case_funding(*, user, cap_case, as_of: date | None = None) -> CaseFunding:
    """Everything the funding page of a CAP case shows, over what ``user`` may see; a fixed
    number of queries whatever the number of agreements, installments, lines and expenditure."""
    as_of = as_of or timezone.localdate()
    instruments = list(
        LegalInstrument.objects.restrict(user)
        .filter(cap_case=cap_case)
        .with_current_end()
        .prefetch_related(
            "funding_sources__donor",
            "extensions",
            Prefetch("installments", queryset=Installment.objects.select_related("funding_source__donor")),
        )
        .order_by("signed_on", "pk")
    )
    flags = delay_flags(LegalInstrument.objects.filter(pk__in=[i.pk for i in instruments]), as_of=as_of)
    agreements = []
    for instrument in instruments:
        rows, planned, transferred, received = [], ZERO, ZERO, ZERO
        for installment in instrument.installments.all():
            amount = installment.amount_usd or ZERO
            is_received = installment.received_on is not None and installment.received_on <= as_of
            planned += amount
            if installment.transferred_on is not None and installment.transferred_on <= as_of:
                transferred += amount
            if is_received:
                received += amount
            overdue = installment.planned_on < as_of and not is_received
            rows.append(InstallmentRow(installment, overdue, is_received))
        agreements.append(
            AgreementView(
                instrument=instrument,
                installments=rows,
                figures=instrument_figures(instrument, as_of=as_of),
                delays=flags.get(instrument.pk, Delays()),
                planned=planned,
                transferred=transferred,
                received=received,
            )
        )

    figures = cap_case_figures(user=user, cap_case_id=cap_case.pk, as_of=as_of)
    # The budget that counts is the version in force (approved); a newer version in preparation
    # (a first plan not yet approved, or a revision) is shown apart as a draft budget.
    versions = list(Workplan.objects.filter(cap_case=cap_case).order_by("-version"))
    in_force_id = Workplan.objects.in_force_ids([cap_case.pk], as_of=as_of, approved_only=True).get(
        cap_case.pk
    )
    workplan = next((w for w in versions if w.pk == in_force_id), None)
    draft = next((w for w in versions if w.version > (workplan.version if workplan else 0)), None)
    lines = list(
        BudgetLine.objects.restrict(user)
        .for_table()
        .filter(workplan_id__in=[w.pk for w in (workplan, draft) if w is not None])
    )
    table = budget_table([line for line in lines if workplan and line.workplan_id == workplan.pk])
    draft_table = budget_table([line for line in lines if draft and line.workplan_id == draft.pk])

    spent = Expenditure.objects.restrict(user).filter(
        budget_line__workplan__cap_case=cap_case, spent_on__lte=as_of
    )
    spent_by_category = {
        category: amount
        for (category,), amount in _grouped_sums(spent, ["budget_line__category"], USD).items()
    }
    budget_by_category = {block.category: block.subtotal.period for block in table.blocks}

    return CaseFunding(
        cap_case=cap_case,
        as_of=as_of,
        agreements=agreements,
        figures=figures,
        workplan=workplan,
        table=table,
        later_years=[y for y in table.years if y != 1],
        budget_by_category=budget_by_category,
        spent_by_category=spent_by_category,
        draft_workplan=draft,
        draft_table=draft_table,
    )
