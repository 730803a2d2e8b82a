"""The case manager's portfolio dashboard (issue 7): one row per CAP case, and the figures of the
charts. A fixed number of queries whatever the number of CAP cases (pinned in
tests/portfolio/test_dashboard.py): the CAP cases with their milestone, progress and agreement
figures as subquery annotations, then one query for the workplan version in force
(``Workplan.objects.in_force``), one for its activities, and the budget figures
(``budgets.selectors``).

The page shows ``PAGE_SIZE`` rows at a time (issue 15.1: the work of a page does not grow with the
portfolio): the rows, their budget figures and the Party charts are those of the page; the
activities by status count every CAP case the filters keep.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import LegalInstrument
from cap_portal.access import Action
from cases.models import CapCase
from parties.names import localized_name_order
from workplans.choices import ActivityStatus, WorkplanStatus
from workplans.models import Activity, Milestone, ProgressUpdate, Workplan

NOT_COUNTED = (ActivityStatus.CANCELLED,)
PAGE_SIZE = 25  # CAP cases per page of the dashboard (the export has them all)


@dataclass
class PortfolioRow:
    """One CAP case on the dashboard. ``absorption`` is spent ÷ received in percent (None: no
    funds received yet); ``current_end`` includes no-cost extensions."""

    cap_case: CapCase
    workplan_id: int | None
    workplan_version: int | None
    workplan_status: str | None
    activities_total: int = 0
    activities_completed: int = 0
    milestones_overdue: int = 0
    absorption: Decimal | None = None
    budget_figures: object | None = None
    current_end: datetime.date | None = None
    original_end: datetime.date | None = None
    agreement_starts: datetime.date | None = None
    last_progress: datetime.date | None = None  # the day the latest progress update was made

    @property
    def party(self):
        return self.cap_case.party

    @property
    def workplan_status_label(self) -> str:
        return WorkplanStatus(self.workplan_status).label if self.workplan_status else ""

    @property
    def percent_complete(self) -> int | None:
        """The share of the plan's activities (cancelled ones left out) completed, in percent."""
        if not self.activities_total:
            return None
        return round(100 * self.activities_completed / self.activities_total)

    @property
    def is_extended(self) -> bool:
        return bool(self.current_end and self.original_end and self.current_end != self.original_end)

    # Columns of the CSV/XLSX export (cap_portal.exports resolves these names).
    @property
    def party_name(self) -> str:
        return self.party.localized_name

    @property
    def stage(self) -> str:
        return self.cap_case.get_stage_display()


@dataclass
class Portfolio:
    rows: list[PortfolioRow]
    activities_by_status: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, n)
    as_of: datetime.date | None = None

    @property
    def chart_data(self) -> dict:
        """What static/js/dashboard-charts.js draws (passed through ``json_script``)."""
        return {
            "activities": {
                "labels": [str(label) for _value, label, _n in self.activities_by_status],
                "values": [n for _value, _label, n in self.activities_by_status],
            },
            "absorption": {
                "labels": [r.party.localized_name for r in self.rows if r.absorption is not None],
                "values": [float(r.absorption) for r in self.rows if r.absorption is not None],
            },
            "agreements": [
                {
                    "party": r.party.localized_name,
                    "start": r.agreement_starts.isoformat(),
                    "original_end": r.original_end.isoformat(),
                    "current_end": r.current_end.isoformat(),
                }
                for r in self.rows
                if r.agreement_starts and r.current_end
            ],
            "today": self.as_of.isoformat() if self.as_of else None,
        }


def _latest(queryset, value: str):
    return Subquery(queryset.values(value)[:1])


def portfolio_queryset(user, today: datetime.date):
    """The CAP cases the user may see, annotated with the dashboard's per-case figures (the
    workplan version in force is read by :func:`portfolio`)."""
    overdue = Milestone.objects.overdue(today).filter(
        workplan__cap_case=OuterRef("pk"), workplan__status=WorkplanStatus.APPROVED
    )
    # The last progress update is the day it was made, not the end of the period it covers.
    updates = (
        ProgressUpdate.objects.filter(activity__workplan__cap_case=OuterRef("pk"))
        .annotate(made_on=TruncDate("created"))
        .order_by("-created", "-pk")
    )
    agreements = (
        LegalInstrument.objects.filter(cap_case=OuterRef("pk"))
        .with_current_end()
        .order_by("-current_end", "-pk")
    )
    return (
        CapCase.objects.restrict(user, Action.VIEW)
        .select_related("party", "case_manager")
        .annotate(
            dash_milestones_overdue=Coalesce(
                Subquery(
                    overdue.order_by().values("workplan__cap_case").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            dash_last_progress=_latest(updates, "made_on"),
            dash_agreement_start=_latest(agreements, "starts_on"),
            dash_agreement_end=_latest(agreements, "ends_on"),
            dash_current_end=_latest(agreements, "current_end"),
        )
        # One row per CAP case, by the Party's name in the reader's language.
        .order_by(localized_name_order("party"), "pk")
    )


def budget_absorption_by_party(*, user, cap_case_ids, as_of: datetime.date) -> dict:
    """Party id → the budget figures (``Figures``) of the given CAP cases, over what ``user``
    may see. Seven queries, from ``budgets.selectors`` (figures are per Party there: a
    Party with two CAP cases shows the figures of both)."""
    from budgets.models import BudgetLine, Expenditure, Installment
    from budgets.selectors import absorption_from

    ids = list(cap_case_ids)
    summary = absorption_from(
        instruments=LegalInstrument.objects.restrict(user).filter(cap_case_id__in=ids),
        installments=Installment.objects.restrict(user).filter(instrument__cap_case_id__in=ids),
        lines=BudgetLine.objects.restrict(user).filter(workplan__cap_case_id__in=ids),
        expenditures=Expenditure.objects.restrict(user).filter(budget_line__workplan__cap_case_id__in=ids),
        as_of=as_of,
    )
    return {party.pk: figures for party, figures in summary.parties}


def portfolio(user, *, cap_cases=None, shown=None, today: datetime.date | None = None) -> Portfolio:
    """The dashboard rows for ``cap_cases`` (a queryset from :func:`portfolio_queryset`, filtered
    by the caller; all the user may see by default), and the portfolio's activities by status.
    ``shown``: the CAP cases of ``cap_cases`` that get a row (a page of them); the activities by
    status still count every one of ``cap_cases``."""
    today = today or timezone.localdate()
    if cap_cases is None:
        cap_cases = portfolio_queryset(user, today)
    cases = list(cap_cases if shown is None else shown)
    ids = [c.pk for c in cases]
    counted = ids if shown is None else cap_cases.values("pk")
    # The version in force today (``Workplan.objects.in_force``, as for the budget figures and
    # the SC report): its number and status on the row, its activities counted.
    plans = {
        cap_case_id: (pk, version, status)
        for cap_case_id, pk, version, status in Workplan.objects.filter(cap_case_id__in=counted)
        .in_force(today)
        .values_list("cap_case_id", "pk", "version", "status")
    }
    counts: dict[int, Counter] = defaultdict(Counter)
    by_status: Counter = Counter()
    rows_by_status = (
        Activity.objects.filter(workplan_id__in=[pk for pk, _version, _status in plans.values()])
        .order_by()
        .values("workplan_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows_by_status:
        counts[row["workplan_id"]][row["status"]] += row["n"]
        by_status[row["status"]] += row["n"]
    figures = budget_absorption_by_party(user=user, cap_case_ids=ids, as_of=today) if ids else {}
    rows = []
    for case in cases:
        plan_id, plan_version, plan_status = plans.get(case.pk, (None, None, None))
        statuses = counts.get(plan_id, Counter())
        party_figures = figures.get(case.party_id)
        rows.append(
            PortfolioRow(
                cap_case=case,
                workplan_id=plan_id,
                workplan_version=plan_version,
                workplan_status=plan_status,
                activities_total=sum(n for s, n in statuses.items() if s not in NOT_COUNTED),
                activities_completed=statuses.get(ActivityStatus.COMPLETED, 0),
                milestones_overdue=case.dash_milestones_overdue,
                absorption=party_figures.absorption_of_received if party_figures else None,
                budget_figures=party_figures,
                current_end=case.dash_current_end,
                original_end=case.dash_agreement_end,
                agreement_starts=case.dash_agreement_start,
                last_progress=case.dash_last_progress,
            )
        )
    activities = [
        (s.value, s.label, by_status.get(s.value, 0)) for s in ActivityStatus if by_status.get(s.value)
    ]
    return Portfolio(rows=rows, activities_by_status=activities, as_of=today)


# The dashboard's export columns: (label, attribute of PortfolioRow).
def export_columns():
    """The labels are translated now (str): a spreadsheet cell takes text, not a lazy string."""
    return [(str(label), attribute) for label, attribute in _EXPORT_COLUMNS]


_EXPORT_COLUMNS = [
    (_("Party"), "party_name"),
    (_("Stage"), "stage"),
    (_("Workplan version"), "workplan_version"),
    (_("Workplan status"), "workplan_status_label"),
    (_("Activities complete (%)"), "percent_complete"),
    (_("Milestones overdue"), "milestones_overdue"),
    (_("Budget absorption (% of funds received)"), "absorption"),
    (_("Current end date"), "current_end"),
    (_("Last progress update"), "last_progress"),
]
