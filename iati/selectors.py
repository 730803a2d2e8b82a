"""What the IATI file says, read from the data as of a date: one :class:`ActivityRecord` per CAP
case in the scope (the whole portfolio, one donor's share, one CAP case), with its organisations,
dates, budgets per year, transactions and results. ``iati.xml`` writes them out.

Money follows the budgets app's rules, never re-written here: USD amounts are the models'
``amount_usd`` (``budgets.models.to_usd``) and ``BudgetLine.amount`` (``line_amount``); the budget
is that of the workplan version in force (``budgets.selectors.budget_lines_that_count``);
received means received on or before the date, spent means spent on or before it, as in
``budgets.selectors.absorption_from``. A donor's share keeps the donor's money only: the
installments from its funding sources, the budget lines it funds and the expenditure against
them; its commitment to an agreement is the installments planned from its sources (the
selectors' rule for a donor's committed funds). Exclusions (``iati.models``) are left out.

A fixed number of queries whatever the number of cases and records.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.models import ZERO, BudgetLine, Expenditure, Installment, LegalInstrument, NoCostExtension
from budgets.selectors import budget_lines_that_count
from cap_portal.access import NO_PARTY, SECRETARIAT_ROLES, Action, holds_role
from cases.models import CapCase, CapCaseTransition
from parties.choices import AuthorityKind
from parties.models import Authority, Donor
from workplans.choices import WorkplanStatus
from workplans.models import Indicator, IndicatorValue, Workplan

from . import codes
from .models import DONOR_SHARE_POLICY, EXCLUDABLE, PublicationExclusion


@dataclass(frozen=True)
class Org:
    """An organisation as IATI names it: a narrative, and its identifier and type when known."""

    name: str
    ref: str = ""
    type: str = ""


@dataclass
class Scope:
    """What a file covers: one donor's share (``donor``), one CAP case (``cap_case``), both, or
    neither (the whole portfolio), as of a date."""

    as_of: date
    donor: Donor | None = None
    cap_case: CapCase | None = None

    @property
    def slug(self) -> str:
        parts = ["portfolio"] if not (self.donor or self.cap_case) else []
        if self.donor:
            parts.append(self.donor.short_name or f"donor-{self.donor.pk}")
        if self.cap_case:
            parts.append(f"{self.cap_case.party.code}-{self.cap_case.pk}")
        return "-".join(parts)


@dataclass
class Transaction:
    type: str
    day: date
    value: Decimal
    description: str
    provider: Org | None = None
    receiver: Org | None = None


@dataclass
class Budget:
    start: date
    end: date
    value: Decimal
    type: str
    status: str


@dataclass
class IndicatorResult:
    indicator: Indicator
    values: list  # [IndicatorValue] of periods begun by the date


@dataclass
class Result:
    title: str
    indicators: list  # [IndicatorResult]


@dataclass
class ActivityRecord:
    """One ``iati-activity``: a CAP case as of the file's date."""

    cap_case: CapCase
    identifier: str
    title: str
    description: str
    status: str
    dates: list  # [(ActivityDateType code, date)]
    funders: list  # [Org]
    implementers: list  # [Org]
    workplan: Workplan | None
    budgets: list = field(default_factory=list)  # [Budget]
    transactions: list = field(default_factory=list)  # [Transaction]
    results: list = field(default_factory=list)  # [Result]


# --- who may have which file ---------------------------------------------------------------------


def publication_scope(*, user, donor_id=None, cap_case_id=None, as_of=None) -> Scope:
    """The scope asked for, if ``user`` may have it (``PermissionDenied``: 403; ``Http404``).

    The Secretariat (case managers and viewers) has every scope. A donor observer has its donor's
    share only — of the portfolio or of a CAP case its donor funds — never the whole portfolio
    nor another donor's share (403). A focal point has its own Party's CAP case (404 for
    another's), never the portfolio nor a donor's share (403).
    """
    as_of = as_of or timezone.localdate()
    secretariat = holds_role(user, SECRETARIAT_ROLES, NO_PARTY)
    donor = cap_case = None
    if donor_id is not None:
        donor = Donor.objects.select_related("party").filter(pk=donor_id).first()
        if donor is None:
            raise Http404
        if not donors_shared_with(user).filter(pk=donor.pk).exists():
            raise PermissionDenied
    elif not secretariat and cap_case_id is None:
        raise PermissionDenied  # the whole portfolio is the Secretariat's
    if cap_case_id is not None:
        cap_case = CapCase.objects.select_related("party").filter(pk=cap_case_id).first()
        if cap_case is None:
            raise Http404
        if donor is not None:
            funded = LegalInstrument.objects.filter(cap_case=cap_case, funding_sources__donor=donor).exists()
            if not funded:
                raise Http404
        if not (secretariat or donor is not None):
            if not CapCase.objects.restrict(user).filter(pk=cap_case.pk).exists():
                raise Http404
    return Scope(as_of=as_of, donor=donor, cap_case=cap_case)


def donors_shared_with(user):
    """The donors whose share of the file ``user`` may have (``DONOR_SHARE_POLICY``)."""
    q = DONOR_SHARE_POLICY.q(user, Action.VIEW, model=Donor)
    return Donor.objects.none() if q is None else Donor.objects.filter(q)


# --- exclusions ---------------------------------------------------------------------------------


def excluded_ids() -> dict[str, set[int]]:
    """Record kind (a key of ``EXCLUDABLE``) → the ids kept out of publication. One query."""
    kinds = {value: key for key, value in EXCLUDABLE.items()}
    excluded: dict[str, set[int]] = defaultdict(set)
    rows = PublicationExclusion.objects.values_list(
        "content_type__app_label", "content_type__model", "object_id"
    )
    for app_label, model, object_id in rows:
        kind = kinds.get((app_label, model))
        if kind:
            excluded[kind].add(object_id)
    return excluded


def content_type_for(kind: str) -> ContentType:
    return ContentType.objects.get_by_natural_key(*EXCLUDABLE[kind])


# --- the activities -----------------------------------------------------------------------------


def reporting_org() -> Org:
    return Org(
        settings.IATI_REPORTING_ORG_NAME, settings.IATI_REPORTING_ORG_REF, settings.IATI_REPORTING_ORG_TYPE
    )


def activity_identifier(cap_case) -> str:
    """The reporting organisation's identifier, then the CAP case's reference (``CAP-TG-7``)."""
    return f"{settings.IATI_REPORTING_ORG_REF}-CAP-{cap_case.party.code}-{cap_case.pk}"


def donor_org(donor) -> Org:
    """A donor: a government when it is a State Party (10), else a multilateral organisation (40)
    — the European Union too, a Party that is no State."""
    is_state = donor.party_id is not None and str(donor.party.code) != codes.EUROPEAN_UNION
    kind = codes.GOVERNMENT if is_state else codes.MULTILATERAL
    return Org(donor.name, settings.IATI_ORGANISATION_REFS.get(donor.short_name, ""), kind)


def _source_org(source) -> Org:
    """Who provides an installment's money: the source's donor, else the fund itself (the CITES
    Trust Fund, which the reporting organisation manages)."""
    if source.donor_id:
        return donor_org(source.donor)
    return Org(source.name, settings.IATI_REPORTING_ORG_REF, settings.IATI_REPORTING_ORG_TYPE)


def _stages_on(cases, as_of) -> dict[int, str]:
    """CAP case id → its stage on ``as_of``: the last transition taken by then, else the stage it
    left first (transitions after the date), else its current stage. One query."""
    stages = {case.pk: case.stage for case in cases}
    latest: dict[int, tuple] = {}
    earliest: dict[int, tuple] = {}
    rows = CapCaseTransition.objects.filter(cap_case_id__in=list(stages)).values_list(
        "cap_case_id", "taken_at", "pk", "from_stage", "to_stage"
    )
    for case_id, taken_at, pk, from_stage, to_stage in rows:
        if timezone.localdate(taken_at) <= as_of:
            if case_id not in latest or (taken_at, pk) > latest[case_id][:2]:
                latest[case_id] = (taken_at, pk, to_stage)
        elif case_id not in earliest or (taken_at, pk) < earliest[case_id][:2]:
            earliest[case_id] = (taken_at, pk, from_stage)
    for case_id in stages:
        if case_id in latest:
            stages[case_id] = latest[case_id][2]
        elif case_id in earliest:
            stages[case_id] = earliest[case_id][2]
    return stages


def _cases_in(scope: Scope, excluded) -> list:
    """The CAP cases of the scope: one case; the cases a donor funds; the portfolio's cases (those
    with a funding agreement or a workplan). Excluded cases are left out."""
    cases = CapCase.objects.select_related("party")
    if scope.cap_case is not None:
        cases = cases.filter(pk=scope.cap_case.pk)
    elif scope.donor is not None:
        cases = cases.filter(legal_instruments__funding_sources__donor=scope.donor)
    else:
        cases = cases.filter(Q(legal_instruments__isnull=False) | Q(workplans__isnull=False))
    return [
        case for case in cases.distinct().order_by("party__name", "pk") if case.pk not in excluded["capcase"]
    ]


def _year_period(workplan, year: int) -> tuple[date, date]:
    """Year ``year`` (1, 2…) of a workplan's implementation period."""
    start = workplan.starts_on + relativedelta(years=year - 1)
    return start, start + relativedelta(years=1) - timedelta(days=1)


def _money_text(record) -> str:
    """How an amount in another currency became USD: "EUR 20,000.00 at 1.08 USD per EUR"."""
    if record.currency == "USD":
        return ""
    return _("%(currency)s %(amount)s at %(rate)s USD per %(currency)s") % {
        "currency": record.currency,
        "amount": f"{record.amount:,.2f}",
        "rate": f"{record.exchange_rate.normalize():f}",
    }


def activity_records(scope: Scope, *, user) -> list[ActivityRecord]:
    """The activities of the file, in Party order (a fixed number of queries)."""
    as_of = scope.as_of
    excluded = excluded_ids()
    cases = _cases_in(scope, excluded)
    case_ids = [case.pk for case in cases]
    stages = _stages_on(cases, as_of)

    # Funding agreements signed by the date (the SC report's rule), with their sources and the
    # no-cost extensions granted by then.
    instruments = (
        LegalInstrument.objects.restrict(user)
        .filter(cap_case_id__in=case_ids, signed_on__lte=as_of)
        .exclude(pk__in=excluded["legalinstrument"])
        .prefetch_related(
            "funding_sources__donor__party",
            Prefetch("extensions", queryset=NoCostExtension.objects.filter(granted_on__lte=as_of)),
        )
        .order_by("signed_on", "pk")
    )
    installments = (
        Installment.objects.restrict(user)
        .filter(instrument__cap_case_id__in=case_ids, instrument__signed_on__lte=as_of)
        .exclude(pk__in=excluded["installment"])
        .exclude(instrument_id__in=excluded["legalinstrument"])
        .select_related("funding_source__donor__party", "instrument")
        .order_by("planned_on", "number", "pk")
    )
    lines = budget_lines_that_count(
        BudgetLine.objects.restrict(user).filter(workplan__cap_case_id__in=case_ids), as_of
    ).exclude(pk__in=excluded["budgetline"])
    expenditures = (
        Expenditure.objects.restrict(user)
        .filter(budget_line__workplan__cap_case_id__in=case_ids, spent_on__lte=as_of)
        .exclude(pk__in=excluded["expenditure"])
        .exclude(budget_line_id__in=excluded["budgetline"])
        .select_related("budget_line__workplan")
        .order_by("spent_on", "pk")
    )
    if scope.donor is not None:
        instruments = instruments.filter(funding_sources__donor=scope.donor).distinct()
        installments = installments.filter(funding_source__donor=scope.donor)
        lines = lines.filter(funding_source__donor=scope.donor)
        expenditures = expenditures.filter(budget_line__funding_source__donor=scope.donor)

    by_case: dict[int, dict] = {pk: defaultdict(list) for pk in case_ids}
    for instrument in instruments:
        by_case[instrument.cap_case_id]["instruments"].append(instrument)
    for installment in installments:
        by_case[installment.instrument.cap_case_id]["installments"].append(installment)
    workplan_ids = Workplan.objects.in_force_ids(case_ids, as_of=as_of)
    workplans = Workplan.objects.in_bulk(list(workplan_ids.values()))
    for line in lines.select_related("workplan").order_by("year", "pk"):
        by_case[line.workplan.cap_case_id]["lines"].append(line)
    for expenditure in expenditures:
        by_case[expenditure.budget_line.workplan.cap_case_id]["expenditures"].append(expenditure)
    values = IndicatorValue.objects.filter(period_start__lte=as_of).exclude(pk__in=excluded["indicatorvalue"])
    indicators = (
        Indicator.objects.filter(workplan_id__in=list(workplan_ids.values()))
        .exclude(pk__in=excluded["indicator"])
        .select_related("activity")
        .prefetch_related(Prefetch("values", queryset=values.order_by("period_start", "pk")))
        .order_by("activity__code", "name", "pk")
    )
    for indicator in indicators:
        by_case[workplans[indicator.workplan_id].cap_case_id]["indicators"].append(indicator)
    authorities = {}
    for authority in Authority.objects.filter(
        party_id__in={case.party_id for case in cases}, kind=AuthorityKind.MANAGEMENT
    ).order_by("pk"):
        authorities.setdefault(authority.party_id, authority)

    workplan_of = {case_id: workplans[pk] for case_id, pk in workplan_ids.items()}
    return [
        _activity(case, stages[case.pk], workplan_of.get(case.pk), by_case[case.pk], authorities, scope)
        for case in cases
    ]


def _activity(cap_case, stage, workplan, records, authorities, scope) -> ActivityRecord:
    as_of = scope.as_of
    party = cap_case.party
    authority = authorities.get(party.pk)
    management_authority = Org(
        authority.name if authority else _("Management Authority of %(party)s") % {"party": party.name},
        "",
        codes.GOVERNMENT,
    )
    instruments = records["instruments"]
    implementers = [management_authority]
    counterparts = {}
    for instrument in instruments:
        if instrument.counterpart_kind == "management_authority":
            counterparts[instrument.pk] = management_authority
        else:
            counterparts[instrument.pk] = Org(instrument.counterpart_name, "", codes.MULTILATERAL)
            if counterparts[instrument.pk] not in implementers:
                implementers.append(counterparts[instrument.pk])

    funders: list[Org] = []
    if scope.donor is not None:
        funders.append(donor_org(scope.donor))
    else:
        for instrument in instruments:
            for source in instrument.funding_sources.all():
                org = _source_org(source)
                if org not in funders:
                    funders.append(org)

    status = codes.ACTIVITY_STATUS.get(stage, codes.PIPELINE)
    dates = _dates(cap_case, instruments, workplan, status, as_of)
    record = ActivityRecord(
        cap_case=cap_case,
        identifier=activity_identifier(cap_case),
        title=_("CITES Compliance Assistance Programme: %(party)s") % {"party": party.name},
        description=(cap_case.summary or (workplan.objective if workplan else "")).strip()
        or _("Assistance to %(party)s to comply with CITES, under the Compliance Assistance Programme.")
        % {"party": party.name},
        status=status,
        dates=dates,
        funders=funders,
        implementers=implementers,
        workplan=workplan,
    )
    record.budgets = _budgets(records["lines"])
    record.transactions = _transactions(records, counterparts, management_authority, scope)
    record.results = _results(workplan, records["indicators"])
    return record


def _dates(cap_case, instruments, workplan, status, as_of) -> list:
    """Planned start and end (the funding agreements', else the workplan's), actual start (the
    first agreement's start, once passed) and actual end (the end in force, once closed)."""
    starts = [i.starts_on for i in instruments]
    ends = [max([i.ends_on, *(e.new_end_date for e in i.extensions.all())]) for i in instruments]
    if not starts and workplan is not None:
        starts, ends = [workplan.starts_on], [workplan.ends_on]
    if not starts and cap_case.started_on:
        starts = [cap_case.started_on]
    dates = []
    if starts:
        dates.append((codes.PLANNED_START, min(starts)))
        if min(starts) <= as_of and status != codes.PIPELINE:
            dates.append((codes.ACTUAL_START, min(starts)))
    else:
        dates.append((codes.PLANNED_START, timezone.localdate(cap_case.created)))
    if ends:
        dates.append((codes.PLANNED_END, max(ends)))
        if status == codes.CLOSED and max(ends) <= as_of:
            dates.append((codes.ACTUAL_END, max(ends)))
    return dates


def _budgets(lines) -> list[Budget]:
    """The budget that counts (the lines of the version in force, ``budget_lines_that_count``)
    per year of that version's period (``BudgetLine.amount``)."""
    if not lines:
        return []
    workplan = lines[0].workplan
    per_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        per_year[line.year] += line.amount
    kind = codes.BUDGET_REVISED if workplan.version > 1 else codes.BUDGET_ORIGINAL
    approved = workplan.status in (WorkplanStatus.APPROVED, WorkplanStatus.SUPERSEDED)
    status = codes.BUDGET_COMMITTED if approved else codes.BUDGET_INDICATIVE
    return [Budget(*_year_period(workplan, year), per_year[year], kind, status) for year in sorted(per_year)]


def _transactions(records, counterparts, management_authority, scope) -> list[Transaction]:
    """Commitments (type 2: the funding agreements, or a donor's installments planned under
    them), incoming funds (type 1: installments received by the date) and expenditure (type 4:
    spending reported by the date), in USD."""
    result = []
    planned_by_instrument: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for installment in records["installments"]:
        planned_by_instrument[installment.instrument_id] += installment.amount_usd or ZERO
    for instrument in records["instruments"]:
        value = planned_by_instrument[instrument.pk] if scope.donor is not None else instrument.amount_usd
        if value is None:
            continue
        text = _("Funding agreement %(reference)s") % {"reference": instrument.reference}
        extra = _money_text(instrument) if scope.donor is None else ""
        result.append(
            Transaction(
                codes.OUTGOING_COMMITMENT,
                instrument.signed_on,
                value,
                f"{text} ({extra})" if extra else text,
                provider=reporting_org(),
                receiver=counterparts[instrument.pk],
            )
        )
    for installment in records["installments"]:
        if installment.received_on is None or installment.received_on > scope.as_of:
            continue
        if installment.amount_usd is None:
            continue
        text = _("Installment %(number)s of %(reference)s") % {
            "number": installment.number,
            "reference": installment.instrument.reference,
        }
        extra = _money_text(installment)
        result.append(
            Transaction(
                codes.INCOMING_FUNDS,
                installment.received_on,
                installment.amount_usd,
                f"{text} ({extra})" if extra else text,
                provider=_source_org(installment.funding_source),
                receiver=counterparts.get(installment.instrument_id, management_authority),
            )
        )
    for expenditure in records["expenditures"]:
        if expenditure.amount_usd is None:
            continue
        extra = _money_text(expenditure)
        text = f"{expenditure.budget_line.get_category_display()}: {expenditure.description}"
        result.append(
            Transaction(
                codes.EXPENDITURE,
                expenditure.spent_on,
                expenditure.amount_usd,
                f"{text} ({extra})" if extra else text,
                provider=management_authority,
            )
        )
    return result


def _results(workplan, indicators) -> list[Result]:
    """A result per activity with indicators (and one for the plan's own indicators), each
    indicator with the values of the periods begun by the date."""
    groups: dict = {}
    for indicator in indicators:
        key = indicator.activity_id or 0
        if key not in groups:
            if indicator.activity_id:
                title = f"{indicator.activity.code} {indicator.activity.title}"
            else:
                title = workplan.title
            groups[key] = Result(title, [])
        groups[key].indicators.append(IndicatorResult(indicator, list(indicator.values.all())))
    return list(groups.values())
