"""A synthetic CAP portfolio at a scale factor, for benchmarks (issue 9).

Scale 1 is about the size of the sample portfolio (eight beneficiary Parties, a workplan each, a few
dozen activities); scale 100 covers every CITES Party with ten years of history: about 2,000
workplan versions, 100,000 activities, 50,000 budget lines, 500,000 expenditure lines, 50,000
recommendations and 20,000 events. Totals grow linearly between the two (and below scale 1 in
proportion to the scale), then are shared out among the Parties and their workplans.

Rows respect the models' rules (dates in order, money with its currency and rate, expenditure
within a legal instrument's period, installments within the agreement, workplan versions with one
version in force) but are written with ``bulk_create``: no ``full_clean()``, no ``save()`` signals,
and so **no simple-history rows**. That is acceptable for synthetic data.

Deterministic for a seed: every Party draws from its own random generator seeded with the seed and
its ISO code, and dates count back from a fixed ``until`` date (not today).

The money follows the sample portfolio (``budgets/sample.py``), so that absorption at scale is a
meaningful figure; :data:`MONEY_ASSUMPTIONS` states the rules (shown by ``generate_portfolio
--help`` and docs/performance.md).
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from budgets.models import (
    ZERO,
    BudgetCategory,
    BudgetLine,
    CounterpartKind,
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
from cap_portal.access import Role
from cases.choices import (
    AreaOfConcern,
    CapStage,
    CaseStatus,
    MeasureKind,
    MeetingBody,
    ProgressRatingScale,
    RecommendationStatus,
    StakeholderKind,
)
from cases.models import (
    CapCase,
    CapCaseTransition,
    ComplianceCase,
    ComplianceMeasure,
    ComplianceMechanism,
    Meeting,
    ProgressRating,
    Recommendation,
    Stakeholder,
    TechnicalMission,
)
from parties.models import Donor, Party, RoleAssignment
from workplans.choices import (
    ActivityStatus,
    DeliverableKind,
    EventKind,
    Priority,
    ResponsibleEntity,
    ReviewStatus,
    WorkplanAction,
    WorkplanStatus,
)
from workplans.models import Activity, Deliverable, Event, Indicator, Milestone, Workplan, WorkplanStep

DEFAULT_UNTIL = datetime.date(2025, 6, 30)
HISTORY_YEARS = 10
# The eight SC78 beneficiaries come first, so that small scales look like the sample portfolio.
FIRST_PARTIES = ("KH", "GN", "LA", "NG", "SB", "SR", "TG", "VN")

# Totals at scale 1 (about the sample portfolio) and at scale 100 (all Parties, ten years).
TARGETS: dict[str, tuple[int, int]] = {
    "parties": (8, 185),
    "workplans": (9, 2000),
    "activities": (45, 100_000),
    "milestones": (10, 10_000),
    "indicators": (4, 4_000),
    "budget_lines": (40, 50_000),
    "expenditures": (40, 500_000),
    "compliance_cases": (19, 1_000),
    "recommendations": (18, 50_000),
    "measures": (7, 500),
    "events": (6, 20_000),
    "deliverables": (7, 6_000),
    "missions": (3, 600),
    "stakeholders": (7, 900),
}

# USD per unit, fixed for the generator (figures only need to be plausible).
RATES = {
    Currency.EUR: Decimal("1.08"),
    Currency.CHF: Decimal("1.12"),
    Currency.GBP: Decimal("1.27"),
    Currency.XOF: Decimal("0.00165"),
    Currency.GNF: Decimal("0.000116"),
    Currency.KHR: Decimal("0.000245"),
    Currency.LAK: Decimal("0.000046"),
    Currency.NGN: Decimal("0.00065"),
    Currency.SBD: Decimal("0.12"),
    Currency.SRD: Decimal("0.028"),
    Currency.VND: Decimal("0.00004"),
}
LOCAL_CURRENCIES = [c for c in RATES if c not in (Currency.EUR, Currency.CHF, Currency.GBP)]
DONOR_CURRENCIES = [Currency.USD, Currency.EUR, Currency.CHF, Currency.GBP]
DONORS = [
    ("European Union", "EU", "EU"),
    ("Switzerland", "CH", "CH"),
    ("United Kingdom of Great Britain and Northern Ireland", "UK", "GB"),
    ("United States of America", "USA", "US"),
]
CASE_MANAGERS = 4
AREAS = list(AreaOfConcern.values)
CATEGORIES = list(BudgetCategory.values)
UNITS = {
    "staff": "Years",
    "consultancies": "Person-months",
    "technical_missions": "Number of missions",
    "workshops": "Number of workshops",
    "equipment": "Lump sum",
    "other": "Flat rate",
}
VERBS = ["Draft", "Review", "Train", "Assess", "Publish", "Update", "Establish", "Strengthen", "Survey"]
OBJECTS = [
    "the CITES implementing legislation",
    "non-detriment findings for listed species",
    "customs and enforcement officers",
    "the permit database",
    "the annual trade report",
    "the legal acquisition procedure",
    "inter-agency coordination",
    "the national ivory action plan",
    "the captive-breeding register",
]

# The money rules, stated once: the command's --help and docs/performance.md quote them.
MONEY_ASSUMPTIONS = (
    "Money, as in the sample portfolio: each Party has consecutive legal instruments of about three "
    "years (USD 50,000-150,000, in USD, EUR, CHF or GBP) covering its engagement; half of the last "
    "ones reach the end through a no-cost extension of six months granted a month before the "
    "original end. An instrument of under 500 days is paid in two installments (70 %, 30 % after "
    "240 days), a longer one in three (40 %, 40 %, 20 %, a year apart); each is transferred 0-60 "
    "days after it was planned and received 5-90 days later, one in ten 120-300 days later still "
    "(delays in the receipt of funds); an installment not received by --until is outstanding. "
    "Expenditure is spent from funds received: each received installment is spent after its "
    "receipt and before its instrument ends (or --until), up to 60-95 % of it (30-80 % for the "
    "instrument still running), so that for every instrument, at every date, expenditure (USD) "
    "stays within the funds received (USD); 30 % of the lines are reported in a local currency. "
    "Each workplan version's budget adds up to the instruments signed by its end, shared among "
    "its lines."
)

Log = Callable[[str], None]


def target(name: str, scale: float) -> int:
    """The total of ``name`` at ``scale``: in proportion below scale 1, linear from 1 to 100."""
    at_one, at_hundred = TARGETS[name]
    if scale <= 1:
        return round(at_one * scale)
    return round(at_one + (at_hundred - at_one) * (scale - 1) / 99)


def split(total: int, parts: int) -> list[int]:
    """``total`` shared out as evenly as possible among ``parts`` (the first ones get the remainder)."""
    if parts <= 0:
        return []
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _days(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A random day in [start, end] (start when the range is empty)."""
    span = (end - start).days
    return start + datetime.timedelta(days=rng.randint(0, span)) if span > 0 else start


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Plan:
    """How many rows of each kind to make, overall and per Party."""

    scale: float
    totals: dict[str, int]
    parties: list[Party]

    def per_party(self, name: str) -> list[int]:
        return split(self.totals[name], len(self.parties))


@dataclass
class Context:
    seed: int
    until: datetime.date
    batch_size: int
    log: Log
    meetings: list[Meeting] = field(default_factory=list)
    mechanisms: list[ComplianceMechanism] = field(default_factory=list)
    sources: list[FundingSource] = field(default_factory=list)
    managers: list = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def rng(self, party: Party, salt: str = "") -> random.Random:
        # A str seed is hashed with SHA-512: the same stream on every run and machine.
        return random.Random(f"{self.seed}:{party.code}:{salt}")

    def bulk(self, model, rows: list, name: str | None = None) -> list:
        if rows:
            model.objects.bulk_create(rows, batch_size=self.batch_size)
        key = name or model._meta.model_name
        self.counts[key] = self.counts.get(key, 0) + len(rows)
        return rows


# --- Clearing ------------------------------------------------------------------------------------

# Children before parents. Parties, donors, authorities, contacts, roles, meetings and mechanisms
# (reference data) stay.
CLEAR_ORDER = [
    "reports.ReportVersion",
    "reports.ReportRender",
    "reports.ReportSection",
    "reports.Report",
    "portfolio.Notification",
    "portfolio.Comment",
    "budgets.Expenditure",
    "budgets.BudgetLine",
    "budgets.Installment",
    "budgets.NoCostExtension",
    "budgets.LegalInstrument",
    "budgets.FundingSource",
    "workplans.CorrectiveAction",
    "workplans.Deliverable",
    "workplans.Event",
    "workplans.ProgressUpdate",
    "workplans.IndicatorValue",
    "workplans.Indicator",
    "workplans.Milestone",
    "workplans.Activity",
    "workplans.WorkplanStep",
    "workplans.Workplan",
    "cases.Stakeholder",
    "cases.TechnicalMission",
    "cases.EligibilityAssessment",
    "cases.CapCaseTransition",
    "cases.CapCase",
    "cases.ProgressRating",
    "cases.ComplianceMeasure",
    "cases.Recommendation",
    "cases.ComplianceCase",
]


def _raw_delete(queryset) -> int:
    # No cascade collection (millions of rows): the order above keeps foreign keys satisfied.
    return queryset._raw_delete(queryset.db)


@transaction.atomic
def portfolio_clear(*, log: Log = lambda message: None) -> int:
    """Delete the portfolio (cases, workplans, funding, reports and their history) but keep the
    Parties registry, donors, users and reference data. Returns the number of rows deleted."""
    deleted = 0
    for label in CLEAR_ORDER:
        model = django_apps.get_model(label)
        for through in {f.remote_field.through for f in model._meta.local_many_to_many}:
            deleted += _raw_delete(through.objects.all())
        deleted += _raw_delete(model._base_manager.all())
        history = getattr(model, "history", None)
        if history is not None:
            deleted += _raw_delete(history.model.objects.all())
    log(f"Cleared the portfolio: {deleted} rows.")
    return deleted


# --- Reference data and people ---------------------------------------------------------------------


def _meetings(ctx: Context) -> list[Meeting]:
    """One SC, AC and PC meeting a year over the history, and the CoPs; existing ones are kept."""
    first_year = ctx.until.year - HISTORY_YEARS
    wanted = []
    for year in range(first_year, ctx.until.year + 1):
        back = ctx.until.year - year
        wanted.append((MeetingBody.SC, 78 - back, datetime.date(year, 2, 3), "Geneva (Switzerland)"))
        wanted.append((MeetingBody.AC, 33 - back, datetime.date(year, 7, 8), "Geneva (Switzerland)"))
        wanted.append((MeetingBody.PC, 27 - back, datetime.date(year, 7, 15), "Geneva (Switzerland)"))
        if year % 3 == 1:  # CoP17 2016, CoP18 2019, CoP19 2022, CoP20 2025
            wanted.append(
                (MeetingBody.COP, 20 - (2025 - year) // 3, datetime.date(year, 11, 24), "Samarkand")
            )
    existing = {(m.body, m.number) for m in Meeting.objects.all()}
    rows = [
        Meeting(
            body=body,
            number=number,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=4),
            venue=venue,
            is_illustrative=True,
        )
        for body, number, starts, venue in wanted
        if (body, number) not in existing and starts <= ctx.until
    ]
    ctx.bulk(Meeting, rows)
    return list(
        Meeting.objects.filter(starts_on__lte=ctx.until, starts_on__year__gte=first_year).order_by(
            "starts_on"
        )
    )


def _reference(ctx: Context) -> None:
    # Mechanisms are reference data loaded by a migration; load them again in case of a flush.
    import_module("cases.migrations.0003_load_compliance_mechanisms").load(django_apps, None)
    ctx.mechanisms = list(ComplianceMechanism.objects.order_by("code"))
    ctx.meetings = _meetings(ctx)
    for name, short_name, code in DONORS:
        Donor.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "party": Party.objects.filter(code=code).first()}
        )
    FundingSource.objects.get_or_create(fund=Fund.CTL, donor=None, defaults={"name": "CITES Trust Fund"})
    for donor in Donor.objects.order_by("name"):
        key = donor.short_name or donor.name
        FundingSource.objects.get_or_create(
            fund=Fund.QTL, donor=donor, defaults={"name": f"{key} contribution to the CAP (external funds)"}
        )
    ctx.sources = list(FundingSource.objects.order_by("fund", "name", "pk"))
    User = get_user_model()
    managers = []
    for number in range(1, CASE_MANAGERS + 1):
        user, created = User.objects.get_or_create(
            username=f"portfolio.cm{number}", defaults={"email": f"portfolio.cm{number}@example.org"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        RoleAssignment.objects.get_or_create(user=user, role=Role.CASE_MANAGER, party=None, donor=None)
        managers.append(user)
    ctx.managers = managers


# --- One Party's portfolio ----------------------------------------------------------------------


@dataclass
class Quota:
    workplans: int
    activities: int
    milestones: int
    indicators: int
    budget_lines: int
    expenditures: int
    compliance_cases: int
    recommendations: int
    measures: int
    events: int
    deliverables: int
    missions: int
    stakeholders: int


def _compliance_record(ctx: Context, party: Party, quota: Quota, rng: random.Random):
    """Compliance cases, recommendations and measures of one Party (unsaved)."""
    meetings = ctx.meetings
    sc_meetings = [m for m in meetings if m.body == MeetingBody.SC] or meetings
    cases = []
    for number in range(quota.compliance_cases):
        mechanism = ctx.mechanisms[(number + rng.randrange(len(ctx.mechanisms))) % len(ctx.mechanisms)]
        opened = rng.choice(sc_meetings)
        closed = None
        if rng.random() < 0.3:
            later = [m for m in sc_meetings if m.starts_on > opened.starts_on]
            closed = rng.choice(later) if later else None
        cases.append(
            ComplianceCase(
                party=party,
                mechanism=mechanism,
                species=f"Species {party.code}-{number + 1}" if mechanism.concerns_species else "",
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                opened_at=opened,
                opened_on=opened.starts_on,
                closed_at=closed,
                closed_on=closed.starts_on if closed else None,
                summary=f"{mechanism.short_name} case of {party.name}.",
                is_illustrative=True,
            )
        )
    recommendations = []
    statuses = list(RecommendationStatus.values)
    for number in range(quota.recommendations):
        case = cases[number % len(cases)] if cases else None
        meeting = rng.choice(sc_meetings)
        deadline = meeting.starts_on + datetime.timedelta(days=rng.choice((90, 180, 365, 730)))
        recommendations.append(
            Recommendation(
                party=party,
                compliance_case=case,
                adopted_at=meeting,
                reference=f"{meeting.code} SR {number + 1}",
                text=f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({party.name}, {meeting.code}).",
                area=rng.choice(AREAS),
                deadline=deadline,
                status=rng.choices(statuses, weights=(3, 3, 4, 1, 1))[0],
                is_illustrative=True,
            )
        )
    measures = []
    kinds = list(MeasureKind.values)
    for number in range(quota.measures):
        kind = rng.choice(kinds)
        meeting = rng.choice(sc_meetings)
        start = meeting.starts_on + datetime.timedelta(days=60)
        measures.append(
            ComplianceMeasure(
                party=party,
                compliance_case=cases[number % len(cases)] if cases else None,
                kind=kind,
                adopted_at=meeting,
                notification=f"{start.year}/{rng.randint(1, 150):03d}",
                in_effect_from=start,
                in_effect_to=start + datetime.timedelta(days=730) if rng.random() < 0.5 else None,
                export_quota=rng.randint(10, 5000) if kind == MeasureKind.EXPORT_QUOTA else None,
                quota_unit="specimens" if kind == MeasureKind.EXPORT_QUOTA else "",
                is_illustrative=True,
            )
        )
    return cases, recommendations, measures


def _activity_status(rng, version_current: bool, start, end, until) -> tuple[str, int, object, object]:
    if not version_current:
        status = rng.choices((ActivityStatus.COMPLETED, ActivityStatus.CANCELLED), weights=(9, 1))[0]
        return status, 100 if status == ActivityStatus.COMPLETED else 0, start, end
    if end < until:
        status = rng.choices((ActivityStatus.COMPLETED, ActivityStatus.DELAYED), weights=(4, 1))[0]
    elif start <= until:
        status = rng.choice((ActivityStatus.ONGOING, ActivityStatus.ONGOING, ActivityStatus.DELAYED))
    else:
        return ActivityStatus.NOT_STARTED, 0, None, None
    if status == ActivityStatus.COMPLETED:
        return status, 100, start, min(end, until)
    return status, rng.randrange(5, 95, 5), start, None


class PartyBuilder:
    """Builds one Party's CAP case with ten years of history. Rows are written level by level
    (parents first, so that children get their foreign keys) by :func:`generate_portfolio`."""

    def __init__(self, ctx: Context, party: Party, quota: Quota, manager):
        self.ctx, self.party, self.quota, self.manager = ctx, party, quota, manager
        self.rng = ctx.rng(party)
        until = ctx.until
        history_start = _add_years(until, -HISTORY_YEARS)
        self.start = _days(self.rng, history_start, history_start + datetime.timedelta(days=365))
        self.end = _days(self.rng, until + datetime.timedelta(days=90), _add_years(until, 2))

    def cap_case(self) -> CapCase:
        self.case = CapCase(
            party=self.party,
            stage=CapStage.IN_IMPLEMENTATION,
            case_manager=self.manager,
            started_on=self.start,
            summary=f"CAP engagement of {self.party.name}.",
            is_illustrative=True,
        )
        return self.case

    def transitions(self) -> list[CapCaseTransition]:
        stages = [
            CapStage.CANDIDATE,
            CapStage.LONG_LIST,
            CapStage.SHORT_LIST,
            CapStage.SELECTED,
            CapStage.IN_IMPLEMENTATION,
        ]
        rows = []
        for index, (source, target_stage) in enumerate(zip(stages, stages[1:], strict=False)):
            taken = datetime.datetime.combine(
                self.start - datetime.timedelta(days=90 * (len(stages) - 2 - index)),
                datetime.time(10, 0),
                tzinfo=datetime.UTC,
            )
            rows.append(
                CapCaseTransition(
                    cap_case=self.case,
                    from_stage=source,
                    to_stage=target_stage,
                    taken_by=self.manager,
                    taken_at=taken,
                    reason="Generated history.",
                )
            )
        return rows

    def workplan_versions(self) -> list[tuple[int, datetime.date, datetime.date, str]]:
        """(version, starts_on, ends_on, status) of each version; the latest is in force (or a
        draft revision of the approved one before it)."""
        count = self.quota.workplans
        span = (self.end - self.start).days
        draft_last = count > 1 and self.rng.random() < 0.15
        versions = []
        for version in range(1, count + 1):
            ends = self.start + datetime.timedelta(days=max(180, span * version // count))
            if version == count:
                status = WorkplanStatus.DRAFT if draft_last else WorkplanStatus.APPROVED
            elif version == count - 1 and draft_last:
                status = WorkplanStatus.APPROVED
            else:
                status = WorkplanStatus.SUPERSEDED
            versions.append((version, self.start, ends, status))
        return versions

    def workplan(self, version, starts, ends, status, revises) -> Workplan:
        return Workplan(
            cap_case=self.case,
            version=version,
            status=status,
            revises=revises,
            revision_reason="delays" if revises else "",
            title=f"CAP workplan of {self.party.name}",
            starts_on=starts,
            ends_on=ends,
            objective=f"Bring {self.party.name}'s implementation of CITES into compliance.",
            is_illustrative=True,
        )

    def steps(self, workplan: Workplan) -> list[WorkplanStep]:
        """The workflow steps that brought the version to its status (taken by the case manager)."""
        S = WorkplanStatus

        def step(action, from_status, to_status, day, **extra):
            taken_at = datetime.datetime.combine(
                min(day, self.ctx.until), datetime.time(9, 0), tzinfo=datetime.UTC
            )
            return WorkplanStep(
                workplan=workplan,
                action=action,
                from_status=from_status,
                to_status=to_status,
                actor=self.manager,
                taken_at=taken_at,
                **extra,
            )

        if workplan.status == S.DRAFT:
            if not workplan.revises_id:
                return []
            revised = self.ctx.until - datetime.timedelta(days=30)
            return [step(WorkplanAction.REVISE, S.APPROVED, S.DRAFT, revised, reason="delays")]
        submitted = workplan.starts_on - datetime.timedelta(days=30)
        return [
            step(WorkplanAction.SUBMIT, S.DRAFT, S.SUBMITTED, submitted),
            step(WorkplanAction.APPROVE, S.SUBMITTED, S.APPROVED, submitted + datetime.timedelta(days=14)),
        ]

    def activities(self, workplan: Workplan, count: int, current: bool) -> list[Activity]:
        rng, rows = self.rng, []
        until = self.ctx.until
        for number in range(1, count + 1):
            start = _days(rng, workplan.starts_on, workplan.ends_on - datetime.timedelta(days=30))
            end = _days(rng, start + datetime.timedelta(days=30), workplan.ends_on)
            status, percent, actual_start, actual_end = _activity_status(rng, current, start, end, until)
            rows.append(
                Activity(
                    workplan=workplan,
                    code=f"A{number}",
                    title=f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}",
                    description="Generated activity.",
                    area=AREAS[number % len(AREAS)],
                    priority=rng.choice(Priority.values),
                    responsible_entity=rng.choice(ResponsibleEntity.values),
                    planned_start=start,
                    planned_end=end,
                    actual_start=actual_start,
                    actual_end=actual_end,
                    status=status,
                    percent_complete=percent,
                    is_illustrative=True,
                )
            )
        return rows

    def milestones(self, workplan, activities, count) -> list[Milestone]:
        rows = []
        for number in range(count):
            activity = activities[number % len(activities)] if activities else None
            due = activity.planned_end if activity else workplan.ends_on
            met = due if due < self.ctx.until and self.rng.random() < 0.7 else None
            rows.append(
                Milestone(
                    workplan=workplan,
                    activity=activity,
                    title=f"Milestone {number + 1}: {activity.title if activity else 'plan'}",
                    due_on=due,
                    met_on=met,
                    evidence="Report received." if met else "",
                    is_illustrative=True,
                )
            )
        return rows

    def indicators(self, workplan, activities, count) -> list[Indicator]:
        return [
            Indicator(
                workplan=workplan,
                activity=activities[number % len(activities)] if activities else None,
                name=f"Indicator {number + 1}",
                unit="people trained" if number % 2 == 0 else "NDFs",
                baseline=Decimal("0"),
                target=Decimal(self.rng.randint(5, 200)),
                counts_people=number % 2 == 0,
                is_illustrative=True,
            )
            for number in range(count)
        ]

    def instruments(self) -> list[tuple[LegalInstrument, list[FundingSource]]]:
        """Consecutive legal instruments of about three years covering the whole engagement; the
        last one reaches the end through a no-cost extension half of the time."""
        rng, rows = self.rng, []
        start, number = self.start, 1
        donors = [s for s in self.ctx.sources if s.fund == Fund.QTL] or self.ctx.sources
        while start <= self.end:
            end = min(_add_years(start, 3) - datetime.timedelta(days=1), self.end)
            if (self.end - end).days < 365:
                end = self.end
            currency = rng.choice(DONOR_CURRENCIES)
            sources = [rng.choice(donors)]
            if rng.random() < 0.3:
                sources.append(self.ctx.sources[0])
            sources = list(dict.fromkeys(sources))
            instrument = LegalInstrument(
                cap_case=self.case,
                counterpart_kind=CounterpartKind.MANAGEMENT_AUTHORITY,
                counterpart_name=f"Management Authority of {self.party.name}",
                reference=f"CAP/{self.party.code}/{start.year}/{number}",
                signed_on=start - datetime.timedelta(days=30),
                starts_on=start,
                ends_on=end,
                amount=Decimal(rng.randrange(50_000, 150_000, 1000)),
                currency=currency,
                exchange_rate=RATES.get(currency, Decimal("1")),
                is_illustrative=True,
            )
            rows.append((instrument, sources))
            start, number = end + datetime.timedelta(days=1), number + 1
        last, _ = rows[-1]
        if rng.random() < 0.5 and (last.ends_on - last.starts_on).days > 400:
            self.extension_to = last.ends_on
            last.ends_on = last.ends_on - datetime.timedelta(days=180)
        else:
            self.extension_to = None
        self.instrument_rows = rows
        return rows

    def current_end(self, instrument: LegalInstrument) -> datetime.date:
        """The instrument's end in force: its no-cost extension's new end date, if any."""
        if self.extension_to is not None and instrument is self.instrument_rows[-1][0]:
            return self.extension_to
        return instrument.ends_on

    def extensions(self, instruments) -> list[NoCostExtension]:
        if self.extension_to is None:
            return []
        last = instruments[-1][0]
        return [
            NoCostExtension(
                instrument=last,
                new_end_date=self.extension_to,
                reason="Difficulties in the disbursement and receipt of funds; activities not completed "
                "within the initial period (SC78 Doc. paras. 43 and 47).",
                granted_on=last.ends_on - datetime.timedelta(days=30),
            )
        ]

    def installments(self, instruments) -> list[Installment]:
        """Two installments (70 %, 30 % after 240 days) for an instrument of under 500 days, three
        (40 %, 40 %, 20 %, a year apart) for a longer one; transferred 0-60 days after they were
        planned, received 5-90 days later, one in ten 120-300 days later still; outstanding when
        not received by ``until`` (see :data:`MONEY_ASSUMPTIONS`)."""
        rng, rows = self.rng, []
        until = self.ctx.until
        for instrument, sources in instruments:
            days = (instrument.ends_on - instrument.starts_on).days
            if days < 500:
                pattern = ((Decimal("0.7"), 0), (Decimal("0.3"), min(240, days // 2)))
            else:
                pattern = ((Decimal("0.4"), 0), (Decimal("0.4"), 365), (Decimal("0.2"), min(730, days - 60)))
            paid = ZERO
            for number, (share, offset) in enumerate(pattern, start=1):
                planned = instrument.starts_on + datetime.timedelta(days=offset)
                transferred = planned + datetime.timedelta(days=rng.randint(0, 60))
                received = transferred + datetime.timedelta(days=rng.randint(5, 90))
                if rng.random() < 0.1:
                    received += datetime.timedelta(days=rng.randint(120, 300))
                # The last installment is the rest: the installments add up to the agreement.
                amount = (
                    instrument.amount - paid if number == len(pattern) else money(instrument.amount * share)
                )
                paid += amount
                rows.append(
                    Installment(
                        instrument=instrument,
                        number=number,
                        funding_source=sources[(number - 1) % len(sources)],
                        planned_on=planned,
                        transferred_on=transferred if transferred <= until else None,
                        received_on=received if received <= until else None,
                        amount=amount,
                        currency=instrument.currency,
                        exchange_rate=instrument.exchange_rate,
                        is_illustrative=True,
                    )
                )
        self.installment_rows = rows
        return rows

    def budget_lines(self, workplan, activities, count, sources) -> list[BudgetLine]:
        """The version's budget: the instruments signed by its end (in USD), shared among its
        ``count`` lines with random weights."""
        rng, rows = self.rng, []
        years = max(1, (workplan.ends_on - workplan.starts_on).days // 365)
        total = sum(
            (
                to_usd(i.amount, i.currency, i.exchange_rate)
                for i, _ in self.instrument_rows
                if i.starts_on <= workplan.ends_on
            ),
            ZERO,
        )
        weights = [rng.uniform(0.5, 1.5) for _ in range(count)]
        for number, weight in enumerate(weights):
            category = CATEGORIES[number % len(CATEGORIES)]
            units = Decimal(rng.randint(1, 12))
            rate = max(money(total * Decimal(weight / sum(weights)) / units), Decimal("1.00"))
            rows.append(
                BudgetLine(
                    workplan=workplan,
                    activity=activities[number % len(activities)] if activities else None,
                    category=category,
                    description=f"{BudgetCategory(category).label} {number + 1}",
                    unit=UNITS[category],
                    units=units,
                    rate=rate,
                    funding_source=sources[number % len(sources)],
                    year=1 + number % years,
                    is_illustrative=True,
                )
            )
        return rows

    def expenditures(self, lines: list[tuple[BudgetLine, int]]) -> list[Expenditure]:
        """``count`` expenditure lines per budget line, spent from the funds received: each row
        draws on one received installment (weighted by its amount) whose window — from its receipt
        to its instrument's end or ``until`` — meets the line's workplan period, is dated in that
        window, and the rows drawing on an installment add up to 60-95 % of it (30-80 % for the
        instrument still running). So for every instrument, at every date, expenditure stays
        within the funds received. Rows of a line whose period holds no funds received are not
        made."""
        rng, until = self.rng, self.ctx.until
        usage = {}
        last = self.instrument_rows[-1][0]
        for instrument, _ in self.instrument_rows:
            running = self.current_end(instrument) > until
            usage[id(instrument)] = (
                rng.uniform(0.3, 0.8) if running or instrument is last else rng.uniform(0.6, 0.95)
            )
        tranches = []  # (first day, last day, USD to spend)
        for installment in self.installment_rows:
            if installment.received_on is None:
                continue
            instrument = installment.instrument
            window_end = min(self.current_end(instrument), until)
            if installment.received_on > window_end:
                continue
            usd = to_usd(installment.amount, installment.currency, installment.exchange_rate)
            tranches.append((installment.received_on, window_end, usd * Decimal(usage[id(instrument)])))
        drawn = []  # (line, row number, tranche, day, weight)
        for line, count in lines:
            start, end = line.workplan.starts_on, min(line.workplan.ends_on, until)
            open_ = [t for t in range(len(tranches)) if tranches[t][0] <= end and tranches[t][1] >= start]
            if not open_:
                continue
            for number in range(count):
                t = rng.choices(open_, weights=[float(tranches[i][2]) for i in open_])[0]
                first, last_day = max(tranches[t][0], start), min(tranches[t][1], end)
                drawn.append((line, number, t, _days(rng, first, last_day), rng.uniform(0.2, 1.0)))
        weight_of = defaultdict(float)
        for _line, _number, t, _day, weight in drawn:
            weight_of[t] += weight
        rows = []
        for line, number, t, day, weight in drawn:
            # Rounded down to the cent: the rows never add up to more than the installment's share.
            usd = (tranches[t][2] * Decimal(weight / weight_of[t])).quantize(
                Decimal("0.01"), rounding=ROUND_DOWN
            )
            usd = max(usd, Decimal("0.01"))
            if rng.random() < 0.7:
                currency, rate, amount = Currency.USD, Decimal("1"), usd
            else:
                currency = LOCAL_CURRENCIES[rng.randrange(len(LOCAL_CURRENCIES))]
                rate = RATES[currency]
                amount = (usd / rate).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            rows.append(
                Expenditure(
                    budget_line=line,
                    spent_on=day,
                    description=f"{line.description}: payment {number + 1}",
                    amount=amount,
                    currency=currency,
                    exchange_rate=rate,
                    reported_by=self.manager,
                    is_illustrative=True,
                )
            )
        return rows

    def events(self, activities: list[Activity], count: int) -> list[Event]:
        rng, rows = self.rng, []
        kinds = list(EventKind.values)
        for number in range(count):
            start = _days(rng, self.start, self.ctx.until)
            online = rng.random() < 0.2
            activity = (
                activities[rng.randrange(len(activities))] if activities and rng.random() < 0.6 else None
            )
            rows.append(
                Event(
                    cap_case=self.case,
                    activity=activity,
                    kind=kinds[number % len(kinds)],
                    title=f"{EventKind(kinds[number % len(kinds)]).label} {number + 1} in {self.party.name}",
                    start_on=start,
                    end_on=start + datetime.timedelta(days=rng.randint(0, 4)),
                    venue="" if online else f"Capital of {self.party.name}",
                    is_online=online,
                    participants_female=rng.randint(0, 30),
                    participants_male=rng.randint(0, 30),
                    participants_other=rng.randint(0, 2),
                    summary="Generated event.",
                    is_illustrative=True,
                )
            )
        return rows

    def deliverables(self, activities, count) -> list[Deliverable]:
        rows = []
        kinds = list(DeliverableKind.values)
        for number in range(count):
            activity = activities[number % len(activities)] if activities else None
            delivered = _days(self.rng, self.start, self.ctx.until) if self.rng.random() < 0.8 else None
            rows.append(
                Deliverable(
                    cap_case=self.case,
                    activity=activity,
                    kind=kinds[number % len(kinds)],
                    title=f"Deliverable {number + 1} of {self.party.name}",
                    delivered_on=delivered,
                    review_status=ReviewStatus.ACCEPTED if delivered else ReviewStatus.SUBMITTED,
                    is_illustrative=True,
                )
            )
        return rows

    def missions(self, count) -> list[TechnicalMission]:
        rows = []
        for number in range(count):
            start = _days(self.rng, self.start, self.ctx.until)
            rows.append(
                TechnicalMission(
                    cap_case=self.case,
                    starts_on=start,
                    ends_on=start + datetime.timedelta(days=3),
                    place=f"Capital of {self.party.name}",
                    participants="CITES Secretariat",
                    purpose=f"Technical mission {number + 1}.",
                    is_illustrative=True,
                )
            )
        return rows

    def stakeholders(self, count) -> list[Stakeholder]:
        kinds = list(StakeholderKind.values)
        return [
            Stakeholder(
                cap_case=self.case,
                name=f"Stakeholder {number + 1} of {self.party.name}",
                kind=kinds[number % len(kinds)],
                role="Partner in in-country coordination.",
                is_illustrative=True,
            )
            for number in range(count)
        ]


# --- The whole portfolio -------------------------------------------------------------------------


def _plan(scale: float) -> Plan:
    available = list(Party.objects.order_by("code"))
    by_code = {str(p.code): p for p in available}
    first = [by_code[code] for code in FIRST_PARTIES if code in by_code]
    rest = [p for p in available if str(p.code) not in FIRST_PARTIES]
    random.Random("parties").shuffle(rest)  # a fixed order, the same for every seed
    count = min(len(available), max(1, target("parties", scale)))
    parties = (first + rest)[:count]
    totals = {name: target(name, scale) for name in TARGETS}
    totals["parties"] = count
    # At least one workplan and one activity per Party; at least one compliance case.
    totals["workplans"] = max(totals["workplans"], count)
    totals["activities"] = max(totals["activities"], totals["workplans"])
    totals["compliance_cases"] = max(totals["compliance_cases"], count)
    return Plan(scale=scale, totals=totals, parties=parties)


def _chunks(items: list, size: int) -> Iterable[list]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def generate_portfolio(
    *,
    scale: float,
    seed: int = 1,
    until: datetime.date = DEFAULT_UNTIL,
    batch_size: int = 5000,
    log: Log = lambda message: None,
) -> dict[str, int]:
    """Generate the synthetic portfolio at ``scale`` (see the module docstring) into an empty
    portfolio (see :func:`portfolio_clear`); returns the number of rows made per model."""
    from parties.services import parties_load

    started = time.monotonic()
    if CapCase.objects.exists():
        raise ValueError("The database holds a portfolio already: clear it first.")
    if not Party.objects.exists():
        parties_load()
    ctx = Context(seed=seed, until=until, batch_size=batch_size, log=log)
    with transaction.atomic():
        _reference(ctx)
    plan = _plan(scale)
    log(
        f"Scale {scale:g}, seed {seed}: {len(plan.parties)} Parties, "
        + ", ".join(f"{plan.totals[k]} {k.replace('_', ' ')}" for k in TARGETS if k != "parties")
    )
    names = [name for name in TARGETS if name != "parties"]
    shares = {name: plan.per_party(name) for name in names}
    quotas = [Quota(**{name: shares[name][index] for name in names}) for index in range(len(plan.parties))]
    builders = [
        PartyBuilder(ctx, party, quota, ctx.managers[index % len(ctx.managers)])
        for index, (party, quota) in enumerate(zip(plan.parties, quotas, strict=True))
    ]
    # Parties in chunks: each chunk in one transaction, memory bounded by the chunk.
    chunk_size = 10
    done = 0
    for chunk in _chunks(builders, chunk_size):
        with transaction.atomic():
            _generate_chunk(ctx, chunk)
        done += len(chunk)
        total = sum(ctx.counts.values())
        log(
            f"  {done}/{len(builders)} Parties, {total} rows, "
            f"{ctx.counts.get('expenditure', 0)} expenditure lines, {time.monotonic() - started:.1f} s"
        )
    _refresh_statistics()
    log(f"Done in {time.monotonic() - started:.1f} s.")
    return dict(sorted(ctx.counts.items()))


def _refresh_statistics() -> None:
    """Refresh the query planner's statistics after the bulk load (PostgreSQL's ``ANALYZE``), and
    the visibility map with them (``VACUUM``) outside a transaction. Autovacuum would do both within
    minutes; until it has, the planner believes the tables are nearly empty and picks nested loops
    over hundreds of thousands of rows (the dashboard at scale 100 took 1.5 s instead of 0.8 s
    right after generating), and an index-only scan still reads every row's page (the expenditure
    list's page 1,001: 48 ms instead of 32 ms)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


def _generate_chunk(ctx: Context, builders: list[PartyBuilder]) -> None:
    # The compliance record.
    records = [_compliance_record(ctx, b.party, b.quota, b.rng) for b in builders]
    ctx.bulk(ComplianceCase, [c for cases, *_ in records for c in cases])
    recommendations_by_party = {b.party.pk: records[i][1] for i, b in enumerate(builders)}
    ctx.bulk(Recommendation, [r for _, recs, _ in records for r in recs])
    ctx.bulk(ComplianceMeasure, [m for _, _, measures in records for m in measures])
    ratings = []
    for builder, (cases, _, _) in zip(builders, records, strict=True):
        sc_meetings = [m for m in ctx.meetings if m.body == MeetingBody.SC][-3:]
        for case in cases[:3]:
            for meeting in sc_meetings:
                if meeting.starts_on >= case.opened_on:
                    ratings.append(
                        ProgressRating(
                            compliance_case=case,
                            meeting=meeting,
                            rating=builder.rng.choice(ProgressRatingScale.values),
                            is_illustrative=True,
                        )
                    )
    ctx.bulk(ProgressRating, ratings)

    # CAP cases and their stage history.
    ctx.bulk(CapCase, [b.cap_case() for b in builders])
    ctx.bulk(CapCaseTransition, [t for b in builders for t in b.transitions()])
    ctx.bulk(TechnicalMission, [m for b in builders for m in b.missions(b.quota.missions)])
    ctx.bulk(Stakeholder, [s for b in builders for s in b.stakeholders(b.quota.stakeholders)])

    # Funding agreements.
    instruments = {b.party.pk: b.instruments() for b in builders}
    ctx.bulk(LegalInstrument, [i for rows in instruments.values() for i, _ in rows])
    through = LegalInstrument.funding_sources.through
    ctx.bulk(
        through,
        [
            through(legalinstrument_id=i.pk, fundingsource_id=s.pk)
            for rows in instruments.values()
            for i, sources in rows
            for s in sources
        ],
        name="legalinstrument_funding_sources",
    )
    ctx.bulk(NoCostExtension, [e for b in builders for e in b.extensions(instruments[b.party.pk])])
    ctx.bulk(Installment, [i for b in builders for i in b.installments(instruments[b.party.pk])])

    # Workplan versions, level by level (each revises the one before).
    versions = {b.party.pk: b.workplan_versions() for b in builders}
    workplans: dict[int, list[Workplan]] = {b.party.pk: [] for b in builders}
    depth = max(len(v) for v in versions.values())
    for level in range(depth):
        rows = []
        for b in builders:
            plan = versions[b.party.pk]
            if level < len(plan):
                previous = workplans[b.party.pk][-1] if level else None
                workplan = b.workplan(*plan[level], revises=previous)
                workplans[b.party.pk].append(workplan)
                rows.append(workplan)
        ctx.bulk(Workplan, rows)
    ctx.bulk(WorkplanStep, [s for b in builders for w in workplans[b.party.pk] for s in b.steps(w)])

    # Plan content per version; the recommendations addressed by the activities of each version.
    activity_rows, by_workplan = [], {}
    for b in builders:
        plans = workplans[b.party.pk]
        for workplan, count in zip(plans, split(b.quota.activities, len(plans)), strict=True):
            current = workplan.status != WorkplanStatus.SUPERSEDED
            rows = b.activities(workplan, max(1, count), current)
            by_workplan[id(workplan)] = rows
            activity_rows += rows
    ctx.bulk(Activity, activity_rows)
    links = Activity.recommendations.through
    link_rows = []
    for b in builders:
        recommendations = recommendations_by_party[b.party.pk]
        if not recommendations:
            continue
        for workplan in workplans[b.party.pk]:
            for activity in by_workplan[id(workplan)]:
                recommendation = recommendations[b.rng.randrange(len(recommendations))]
                link_rows.append(links(activity_id=activity.pk, recommendation_id=recommendation.pk))
    ctx.bulk(links, link_rows, name="activity_recommendations")
    milestones, indicators = [], []
    for b in builders:
        plans = workplans[b.party.pk]
        for workplan, m, i in zip(
            plans,
            split(b.quota.milestones, len(plans)),
            split(b.quota.indicators, len(plans)),
            strict=True,
        ):
            milestones += b.milestones(workplan, by_workplan[id(workplan)], m)
            indicators += b.indicators(workplan, by_workplan[id(workplan)], i)
    ctx.bulk(Milestone, milestones)
    ctx.bulk(Indicator, indicators)

    # Budgets and expenditure.
    lines_by_party: dict[int, list[tuple[BudgetLine, int]]] = {}
    line_rows = []
    for b in builders:
        plans = workplans[b.party.pk]
        sources = list(dict.fromkeys(s for _, ss in instruments[b.party.pk] for s in ss))
        per_workplan = split(b.quota.budget_lines, len(plans))
        lines = []
        for workplan, count in zip(plans, per_workplan, strict=True):
            lines += b.budget_lines(workplan, by_workplan[id(workplan)], count, sources)
        line_rows += lines
        lines_by_party[b.party.pk] = list(zip(lines, split(b.quota.expenditures, len(lines)), strict=True))
    ctx.bulk(BudgetLine, line_rows)
    expenditures = []
    for b in builders:
        expenditures += b.expenditures(lines_by_party[b.party.pk])
        if len(expenditures) >= ctx.batch_size * 4:
            ctx.bulk(Expenditure, expenditures)
            expenditures = []
    ctx.bulk(Expenditure, expenditures)

    # Events and deliverables, on the activities of the versions in force.
    events, deliverables = [], []
    for b in builders:
        current = [
            a
            for w in workplans[b.party.pk]
            if w.status != WorkplanStatus.SUPERSEDED
            for a in by_workplan[id(w)]
        ]
        events += b.events(current, b.quota.events)
        deliverables += b.deliverables(current, b.quota.deliverables)
    ctx.bulk(Event, events)
    ctx.bulk(Deliverable, deliverables)
