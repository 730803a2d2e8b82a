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
from django.utils.translation import gettext_lazy as _

from parties.models import Party
from workplans.choices import ActivityStatus, WorkplanStatus
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
    money,
    to_usd,
)

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


def _sums_in_sql(queryset) -> bool:
    """Whether money is summed by the database: PostgreSQL's ``numeric`` is exact (``ROUND`` rounds
    half away from zero, as ``ROUND_HALF_UP`` does), SQLite computes decimals as floats."""
    return connections[queryset.db].vendor == "postgresql"


# What is summed: an amount in its currency converted to USD (``MoneyMixin.amount_usd``), or a
# budget line's units × rate (``BudgetLine.amount``), each rounded to the cent row by row.
USD, LINE = "usd", "line"
_SUMMED_FIELDS = {USD: ("amount", "currency", "exchange_rate"), LINE: ("units", "rate")}
_SUM_FIELD = DecimalField(max_digits=28, decimal_places=2)


def _row_amount(kind: str, values) -> Decimal:
    """A row's amount in USD, in Python, by the rules of the models (0 while a rate is missing)."""
    if kind == LINE:
        units, rate = values
        return money(units * rate)
    return to_usd(*values) or ZERO


def _row_amount_sql(kind: str):
    """The same in SQL: ``ROUND(x, 2)`` of the exact product, NULL (left out of the sum) while a
    rate is missing."""
    if kind == LINE:
        return Round(F("units") * F("rate"), 2, output_field=_SUM_FIELD)
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
        budget_lines_that_count(lines), ["workplan__cap_case__party_id", "funding_source_id"], LINE
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


# --- the funding page of a CAP case ------------------------------------------------------------


@dataclass
class TimelineMark:
    """A date on an agreement's timeline, at ``position`` % of its span."""

    kind: str  # "start", "original_end", "extension", "today"
    day: date
    position: float
    extension: object = None


@dataclass
class AgreementTimeline:
    """An agreement's implementation period drawn on one axis: the original period, each no-cost
    extension as a segment from the end it replaced to its new end, and today's line."""

    start: date
    end: date
    original: tuple  # (left %, width %)
    extensions: list  # [(left %, width %, NoCostExtension)]
    marks: list  # [TimelineMark]
    today: float | None


def agreement_timeline(instrument, *, today: date) -> AgreementTimeline:
    """From the instrument's (prefetched) extensions; no query."""
    extensions = sorted(instrument.extensions.all(), key=lambda e: (e.new_end_date, e.pk))
    start = min(instrument.signed_on, instrument.starts_on)
    last_end = extensions[-1].new_end_date if extensions else instrument.ends_on
    end = max(last_end, today, instrument.ends_on)
    span = max((end - start).days, 1)

    def pos(day):
        return round(100 * (day - start).days / span, 2)

    def segment(first, last):
        return (pos(first), max(round(100 * (last - first).days / span, 2), 0.5))

    segments, previous = [], instrument.ends_on
    for extension in extensions:
        segments.append((*segment(previous, extension.new_end_date), extension))
        previous = max(previous, extension.new_end_date)
    marks = [
        TimelineMark("start", instrument.starts_on, pos(instrument.starts_on)),
        TimelineMark("original_end", instrument.ends_on, pos(instrument.ends_on)),
        *(TimelineMark("extension", e.new_end_date, pos(e.new_end_date), e) for e in extensions),
    ]
    return AgreementTimeline(
        start=start,
        end=end,
        original=segment(instrument.starts_on, instrument.ends_on),
        extensions=segments,
        marks=marks,
        today=pos(today) if start <= today <= end else None,
    )


@dataclass
class InstallmentRow:
    installment: object
    overdue: bool
    received: bool


@dataclass
class AgreementView:
    """One agreement of the case page: its timeline, installments, figures and delays."""

    instrument: object
    timeline: AgreementTimeline
    installments: list  # [InstallmentRow]
    figures: dict
    delays: Delays
    planned: Decimal = ZERO
    transferred: Decimal = ZERO
    received: Decimal = ZERO


BAR_HEIGHT, BAR_GAP, GROUP_GAP = 16, 4, 14


@dataclass
class Bar:
    """A bar of a chart: its value, its length in % of the chart's largest value, and where it
    is drawn in its group (pixels from the group's top)."""

    key: str
    label: str
    value: Decimal
    length: float
    y: int = 0

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass
class ChartGroup:
    label: str
    y: int
    label_y: int
    bars: list


@dataclass
class Chart:
    """Horizontal bars on one scale, in labelled groups, for an inline SVG (no script)."""

    groups: list
    height: int
    legend: list  # [(key, label)]
    bar_height: int = BAR_HEIGHT


def chart(groups, legend) -> Chart:
    """``groups``: ``[(label, [(key, label, value)])]``; every bar is scaled to the largest value
    of the chart (length 0 when all are 0)."""
    groups = [(label, list(items)) for label, items in groups]
    largest = max((value for _label, items in groups for _k, _l, value in items), default=ZERO)
    drawn, top = [], 0
    for label, items in groups:
        height = len(items) * BAR_HEIGHT + (len(items) - 1) * BAR_GAP
        drawn.append(
            ChartGroup(
                label=label,
                y=top,
                label_y=height // 2 + 4,
                bars=[
                    Bar(
                        key,
                        bar_label,
                        value,
                        float(round(100 * value / largest, 2)) if largest else 0.0,
                        y=index * (BAR_HEIGHT + BAR_GAP),
                    )
                    for index, (key, bar_label, value) in enumerate(items)
                ],
            )
        )
        top += height + GROUP_GAP
    return Chart(groups=drawn, height=max(top - GROUP_GAP, 0), legend=list(legend))


@dataclass
class CaseFunding:
    cap_case: object
    as_of: date
    agreements: list  # [AgreementView]
    figures: Figures
    figure_chart: Chart  # committed, received, budget, spent
    workplan: object  # the workplan version whose budget counts (None when there is none)
    table: BudgetTable
    later_years: list
    category_chart: Chart  # budget and spent per category


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
                timeline=agreement_timeline(instrument, today=as_of),
                installments=rows,
                figures=instrument_figures(instrument, as_of=as_of),
                delays=flags.get(instrument.pk, Delays()),
                planned=planned,
                transferred=transferred,
                received=received,
            )
        )

    figures = cap_case_figures(user=user, cap_case_id=cap_case.pk, as_of=as_of)
    workplan_id = budget_workplan_ids([cap_case.pk]).get(cap_case.pk)
    workplan = Workplan.objects.filter(pk=workplan_id).first()
    lines = list(BudgetLine.objects.restrict(user).for_table().filter(workplan_id=workplan_id))
    table = budget_table(lines)

    spent = Expenditure.objects.restrict(user).filter(
        budget_line__workplan__cap_case=cap_case, spent_on__lte=as_of
    )
    spent_by_category = {
        category: amount
        for (category,), amount in _grouped_sums(spent, ["budget_line__category"], USD).items()
    }
    budget_by_category = {block.category: block.subtotal.period for block in table.blocks}
    budget_label, spent_label = _("Budget"), _("Spent")
    categories = chart(
        [
            (
                label,
                [
                    ("budget", budget_label, budget_by_category.get(category, ZERO)),
                    ("spent", spent_label, spent_by_category.get(category, ZERO)),
                ],
            )
            for category, label in BudgetCategory.choices
            if budget_by_category.get(category) or spent_by_category.get(category)
        ],
        legend=[("budget", budget_label), ("spent", spent_label)],
    )
    figure_items = [
        ("committed", _("Committed"), figures.committed),
        ("received", _("Received"), figures.received),
        ("budget", budget_label, figures.budget),
        ("spent", spent_label, figures.spent),
    ]

    return CaseFunding(
        cap_case=cap_case,
        as_of=as_of,
        agreements=agreements,
        figures=figures,
        figure_chart=chart([(label, [(key, label, value)]) for key, label, value in figure_items], []),
        workplan=workplan,
        table=table,
        later_years=[y for y in table.years if y != 1],
        category_chart=categories,
    )


def absorption_chart(pairs) -> Chart:
    """``[(Party or donor, Figures)]`` → budget, received and spent of each, on one scale."""
    budget, received, spent = _("Budget"), _("Received"), _("Spent")
    return chart(
        [
            (
                str(obj),
                [("budget", budget, f.budget), ("received", received, f.received), ("spent", spent, f.spent)],
            )
            for obj, f in pairs
        ],
        legend=[("budget", budget), ("received", received), ("spent", spent)],
    )
