"""Reads of the cases app that span relations: a Party's compliance picture, the status history
of a recommendation, and the proposed ranking of CAP candidates (prong 1).

The ranking rule is :func:`score_candidate`, a pure function of :class:`CandidateFacts`; its
weights are the named constants below, and ``docs/selection.md`` explains them. The facts come
from the case data the portal holds (criteria a–c of CoP18 Doc. para. 28, measures in effect,
overdue recommendations, geographical balance) and from the assessor's inputs (criteria d–e and
the SC78 para. 29 considerations).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cap_portal.access import Action
from workplans.choices import ReviewStatus

from .choices import BENEFICIARY_STAGES, SELECTION_STAGES, CaseStatus, Level, MechanismKind
from .models import (
    CapCase,
    ComplianceCase,
    ComplianceMeasure,
    EligibilityAssessment,
    ProgressRating,
    Recommendation,
    Result,
    Stakeholder,
)

# --- The ranking rule: weights -------------------------------------------------------------------

# Criterion a): each distinct compliance mechanism the Party is under in an open case.
POINTS_PER_MECHANISM = 3
# Criterion b): each compliance process, when combined with at least one mechanism…
POINTS_PER_PROCESS_WITH_MECHANISM = 2
# …and when the Party is under processes only (not eligible on criteria a–b alone).
POINTS_PER_PROCESS_ALONE = 1
# Criterion c), persistence: each full year since the oldest open case was opened, up to a cap.
POINTS_PER_YEAR_UNDER = 1
MAX_YEARS_COUNTED = 10
# Compliance measures in effect today (trade suspensions, quotas, cautions).
POINTS_PER_MEASURE_IN_EFFECT = 2
# Open or in-progress recommendations past their deadline, up to a cap.
POINTS_PER_OVERDUE_RECOMMENDATION = 1
MAX_OVERDUE_COUNTED = 10
# Criterion d): significance of exports of CITES-listed species (assessor's input).
EXPORT_SIGNIFICANCE_POINTS = {Level.NONE: 0, Level.LOW: 1, Level.MEDIUM: 2, Level.HIGH: 4}
# Criterion e): commitment, and a focal point nominated in the Management Authority.
POINTS_COMMITTED = 2
POINTS_FOCAL_POINT_NOMINATED = 2
# SC78 para. 29: formal request, ongoing projects to build on, potential for impact,
# geographical balance (no current beneficiary in the Party's CITES region).
POINTS_FORMAL_REQUEST = 3
POINTS_ONGOING_PROJECTS = 1
IMPACT_POINTS = {Level.NONE: 0, Level.LOW: 1, Level.MEDIUM: 2, Level.HIGH: 3}
POINTS_GEOGRAPHICAL_BALANCE = 2


@dataclass(frozen=True)
class CandidateFacts:
    """What the ranking rule looks at for one candidate."""

    mechanisms: tuple[str, ...] = ()
    processes: tuple[str, ...] = ()
    years_under: int = 0
    measures_in_effect: int = 0
    overdue_recommendations: int = 0
    region_has_beneficiary: bool = False
    assessed: bool = False
    export_significance: str = Level.NONE
    committed: bool = False
    focal_point_nominated: bool = False
    formal_request: bool = False
    ongoing_projects: bool = False
    potential_for_impact: str = Level.NONE


@dataclass(frozen=True)
class Reason:
    """One line of the explanation of a score: the points and why."""

    points: int
    text: str

    def as_text(self) -> str:
        return f"{self.points:+d} {self.text}"


@dataclass(frozen=True)
class Score:
    score: int
    eligible: bool
    reasons: tuple[Reason, ...]


def score_candidate(facts: CandidateFacts) -> Score:
    """Score one candidate from its facts; return the score, eligibility and the reasons.

    Eligible means under at least one compliance mechanism (criterion a, which criterion b
    presupposes). The score adds the points of each named constant above; every non-zero term
    gives one reason, so the board can show why a Party ranks where it does.
    """
    reasons: list[Reason] = []

    def add(points: int, text) -> None:
        if points:
            reasons.append(Reason(points, str(text)))

    eligible = bool(facts.mechanisms)
    if facts.mechanisms:
        add(
            POINTS_PER_MECHANISM * len(facts.mechanisms),
            _("criterion a: under %(n)s compliance mechanism(s): %(names)s")
            % {"n": len(facts.mechanisms), "names": ", ".join(facts.mechanisms)},
        )
    if facts.processes:
        per = POINTS_PER_PROCESS_WITH_MECHANISM if facts.mechanisms else POINTS_PER_PROCESS_ALONE
        text = (
            _("criterion b: compliance process(es) combined with a mechanism: %(names)s")
            if facts.mechanisms
            else _("compliance process(es) without a mechanism: %(names)s")
        )
        add(per * len(facts.processes), text % {"names": ", ".join(facts.processes)})
    years = min(facts.years_under, MAX_YEARS_COUNTED)
    years_text = ngettext(
        "criterion c: persistent issues, under compliance procedures for %(n)s year",
        "criterion c: persistent issues, under compliance procedures for %(n)s years",
        facts.years_under,
    ) % {"n": facts.years_under}
    if facts.years_under > MAX_YEARS_COUNTED:
        years_text += " " + str(_("(counted up to %(max)s)") % {"max": MAX_YEARS_COUNTED})
    add(POINTS_PER_YEAR_UNDER * years, years_text)
    add(
        POINTS_PER_MEASURE_IN_EFFECT * facts.measures_in_effect,
        ngettext(
            "%(n)s compliance measure in effect",
            "%(n)s compliance measures in effect",
            facts.measures_in_effect,
        )
        % {"n": facts.measures_in_effect},
    )
    overdue = min(facts.overdue_recommendations, MAX_OVERDUE_COUNTED)
    overdue_text = ngettext(
        "%(n)s recommendation past its deadline",
        "%(n)s recommendations past their deadline",
        facts.overdue_recommendations,
    ) % {"n": facts.overdue_recommendations}
    if facts.overdue_recommendations > MAX_OVERDUE_COUNTED:
        overdue_text += " " + str(_("(counted up to %(max)s)") % {"max": MAX_OVERDUE_COUNTED})
    add(POINTS_PER_OVERDUE_RECOMMENDATION * overdue, overdue_text)
    add(
        EXPORT_SIGNIFICANCE_POINTS.get(facts.export_significance, 0),
        _("criterion d: exports of CITES-listed species of %(level)s significance")
        % {"level": Level(facts.export_significance).label.lower()},
    )
    add(POINTS_COMMITTED if facts.committed else 0, _("criterion e: committed to take part in the CAP"))
    add(
        POINTS_FOCAL_POINT_NOMINATED if facts.focal_point_nominated else 0,
        _("criterion e: national focal point nominated in the Management Authority"),
    )
    add(POINTS_FORMAL_REQUEST if facts.formal_request else 0, _("formal request for assistance received"))
    add(
        POINTS_ONGOING_PROJECTS if facts.ongoing_projects else 0,
        _("ongoing CITES-related projects to build on"),
    )
    add(
        IMPACT_POINTS.get(facts.potential_for_impact, 0),
        _("%(level)s potential for impact") % {"level": Level(facts.potential_for_impact).label.lower()},
    )
    add(
        0 if facts.region_has_beneficiary else POINTS_GEOGRAPHICAL_BALANCE,
        _("geographical balance: no current beneficiary in its CITES region"),
    )
    if not facts.assessed:
        reasons.append(Reason(0, str(_("not assessed yet: the assessor's inputs count as zero"))))
    if not eligible:
        reasons.append(Reason(0, str(_("not eligible: under no compliance mechanism (criteria a–b)"))))
    return Score(sum(r.points for r in reasons), eligible, tuple(reasons))


# --- The ranking: facts from the data ------------------------------------------------------------


@dataclass
class RankedCandidate:
    cap_case: CapCase
    assessment: EligibilityAssessment | None
    facts: CandidateFacts
    score: int
    eligible: bool
    reasons: tuple[Reason, ...]
    rank: int = 0


def _full_years(since: datetime.date, today: datetime.date) -> int:
    years = today.year - since.year - ((today.month, today.day) < (since.month, since.day))
    return max(years, 0)


def score_cap_cases(
    cap_cases,
    *,
    today: datetime.date | None = None,
    assessments: dict[int, EligibilityAssessment] | None = None,
) -> list[RankedCandidate]:
    """Gather the facts of each CAP case's Party and score it (a fixed number of queries).

    ``assessments`` maps a CAP case id to the assessment to use; by default, the latest one.
    """
    today = today or timezone.localdate()
    cap_cases = list(cap_cases)
    if not cap_cases:
        return []
    party_ids = {c.party_id for c in cap_cases}

    mechanisms, processes, oldest = defaultdict(set), defaultdict(set), {}
    open_cases = ComplianceCase.objects.filter(party_id__in=party_ids, status=CaseStatus.OPEN).values_list(
        "party_id", "mechanism__kind", "mechanism__short_name", "opened_on"
    )
    for party_id, kind, short_name, opened_on in open_cases:
        (mechanisms if kind == MechanismKind.MECHANISM else processes)[party_id].add(short_name)
        if opened_on and (party_id not in oldest or opened_on < oldest[party_id]):
            oldest[party_id] = opened_on
    measures = dict(
        ComplianceMeasure.objects.in_effect(today)
        .filter(party_id__in=party_ids)
        .values_list("party_id")
        .annotate(n=Count("pk"))
    )
    overdue = dict(
        Recommendation.objects.overdue(today)
        .filter(party_id__in=party_ids)
        .values_list("party_id")
        .annotate(n=Count("pk"))
    )
    served_regions = set(
        CapCase.objects.filter(stage__in=BENEFICIARY_STAGES).values_list("party__region", flat=True)
    )
    if assessments is None:
        assessments = {}
        for assessment in EligibilityAssessment.objects.filter(cap_case__in=cap_cases).order_by(
            "-assessed_on", "-pk"
        ):
            assessments.setdefault(assessment.cap_case_id, assessment)

    rows = []
    for cap_case in cap_cases:
        party_id = cap_case.party_id
        assessment = assessments.get(cap_case.pk)
        facts = CandidateFacts(
            mechanisms=tuple(sorted(mechanisms[party_id])),
            processes=tuple(sorted(processes[party_id])),
            years_under=_full_years(oldest[party_id], today) if party_id in oldest else 0,
            measures_in_effect=measures.get(party_id, 0),
            overdue_recommendations=overdue.get(party_id, 0),
            region_has_beneficiary=cap_case.party.region in served_regions,
            **_assessor_inputs(assessment),
        )
        score = score_candidate(facts)
        rows.append(RankedCandidate(cap_case, assessment, facts, score.score, score.eligible, score.reasons))
    return rows


def _assessor_inputs(assessment: EligibilityAssessment | None) -> dict:
    if assessment is None:
        return {}
    return {
        "assessed": True,
        "export_significance": assessment.export_significance,
        "committed": assessment.committed,
        "focal_point_nominated": assessment.focal_point_nominated,
        "formal_request": assessment.formal_request,
        "ongoing_projects": bool(assessment.ongoing_projects.strip()),
        "potential_for_impact": assessment.potential_for_impact,
    }


def rank(rows: list[RankedCandidate]) -> list[RankedCandidate]:
    """Eligible candidates first, then by score, highest first; equal scores share a rank."""
    rows = sorted(rows, key=lambda r: (not r.eligible, -r.score, r.cap_case.party.name))
    previous = None
    for position, row in enumerate(rows, start=1):
        key = (row.eligible, row.score)
        row.rank = previous[1] if previous and previous[0] == key else position
        previous = (key, row.rank)
    return rows


def candidate_ranking(*, user, today: datetime.date | None = None) -> list[RankedCandidate]:
    """The proposed ranking of the CAP cases still under selection that ``user`` may assess.

    Empty for a user who may not view eligibility assessments (only the Secretariat may).
    """
    if not EligibilityAssessment.access_policy.allows(user, Action.VIEW):
        return []
    cap_cases = (
        CapCase.objects.restrict(user, Action.VIEW)
        .filter(stage__in=SELECTION_STAGES)
        .select_related("party", "case_manager")
    )
    return rank(score_cap_cases(cap_cases, today=today))


# --- A Party's compliance picture ----------------------------------------------------------------


@dataclass
class CompliancePicture:
    """What the Party page shows of a Party's compliance record, as the user may see it."""

    visible: bool = False
    cases: list = field(default_factory=list)
    pending_recommendations: list = field(default_factory=list)
    overdue_count: int = 0
    measures_in_effect: list = field(default_factory=list)
    latest_ratings: list = field(default_factory=list)
    cap_cases: list = field(default_factory=list)
    today: datetime.date | None = None
    can_edit: bool = False


def party_compliance_picture(*, party, user, today: datetime.date | None = None) -> CompliancePicture:
    """The Party's open and closed compliance cases, pending recommendations (overdue ones marked
    with ``overdue``), measures in effect, the latest rating per case, and its CAP case(s).

    Restricted to what ``user`` may view; nothing (and no query) for a user who may see none of it.
    """
    today = today or timezone.localdate()
    if not ComplianceCase.access_policy.permits(user, Action.VIEW, ComplianceCase(party=party)):
        return CompliancePicture(today=today)
    cases = list(
        ComplianceCase.objects.restrict(user, Action.VIEW)
        .filter(party=party)
        .select_related("mechanism", "opened_at", "closed_at")
        .order_by("status", "mechanism__name", "species")
    )
    recommendations = list(
        Recommendation.objects.restrict(user, Action.VIEW)
        .filter(party=party)
        .pending()
        .select_related("adopted_at")
        .order_by("deadline", "pk")
    )
    for recommendation in recommendations:
        recommendation.overdue = recommendation.is_overdue(today)
    measures = list(
        ComplianceMeasure.objects.restrict(user, Action.VIEW)
        .filter(party=party)
        .in_effect(today)
        .select_related("adopted_at")
    )
    latest: dict[int, ProgressRating] = {}
    ratings = (
        ProgressRating.objects.restrict(user, Action.VIEW)
        .filter(compliance_case__party=party)
        .select_related("meeting", "compliance_case__mechanism")
        .order_by("-meeting__starts_on", "-pk")
    )
    for rating in ratings:
        latest.setdefault(rating.compliance_case_id, rating)
    cap_cases = list(
        CapCase.objects.restrict(user, Action.VIEW).filter(party=party).select_related("case_manager")
    )
    return CompliancePicture(
        visible=True,
        cases=cases,
        pending_recommendations=recommendations,
        overdue_count=sum(1 for r in recommendations if r.overdue),
        measures_in_effect=measures,
        latest_ratings=list(latest.values()),
        cap_cases=cap_cases,
        today=today,
        can_edit=ComplianceCase.access_policy.permits(user, Action.ADD, ComplianceCase(party=party)),
    )


@dataclass
class PartyProgramme:
    """Where a Party page leads: its CAP case(s), each with the workplan version in force, its
    legal instruments, and the SC report sections about the Party — what ``user`` may read."""

    cap_cases: list = field(default_factory=list)
    report_sections: list = field(default_factory=list)
    can_add_cap_case: bool = False


def party_programme(*, party, user) -> PartyProgramme:
    """The Party page's links into the programme (a few queries, whatever the Party's size)."""
    from budgets.models import LegalInstrument
    from reports.models import ReportSection
    from workplans.models import Workplan

    cap_cases = list(
        CapCase.objects.restrict(user, Action.VIEW).filter(party=party).select_related("case_manager")
    )
    in_force = Workplan.objects.restrict(user, Action.VIEW).in_force_ids([c.pk for c in cap_cases])
    workplans = Workplan.objects.in_bulk(list(in_force.values()))
    instruments = defaultdict(list)
    for instrument in (
        LegalInstrument.objects.restrict(user, Action.VIEW)
        .filter(cap_case__in=cap_cases)
        .with_current_end()
        .order_by("starts_on", "pk")
    ):
        instruments[instrument.cap_case_id].append(instrument)
    for cap_case in cap_cases:
        cap_case.workplan_in_force = workplans.get(in_force.get(cap_case.pk))
        cap_case.instruments = instruments[cap_case.pk]
    sections = list(
        ReportSection.objects.restrict(user, Action.VIEW)
        .filter(party=party)
        .select_related("report")
        .order_by("-report__meeting_start", "order")[:5]
    )
    return PartyProgramme(
        cap_cases=cap_cases,
        report_sections=sections,
        can_add_cap_case=CapCase.access_policy.permits(user, Action.ADD, CapCase(party=party)),
    )


# --- History -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusChange:
    status: str
    label: str
    changed_at: datetime.datetime
    changed_by: object


def recommendation_status_history(recommendation: Recommendation) -> list[StatusChange]:
    """Each status a recommendation has had, oldest first, with who set it and when (from its
    audit history, so no change can be missed)."""
    changes: list[StatusChange] = []
    records = recommendation.history.select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        if record.history_type == "-":
            continue
        if not changes or changes[-1].status != record.status:
            changes.append(
                StatusChange(
                    record.status, record.get_status_display(), record.history_date, record.history_user
                )
            )
    return changes


# --- Results and partners, as of a date (the SC report) -------------------------------------------


def accepted_results(party_ids, as_of: datetime.date) -> list[Result]:
    """The results of these Parties' CAP cases that count on ``as_of``: achieved on or before it
    and accepted by a case manager on or before it (a result awaiting review, returned, or
    accepted later does not exist yet for a report of that date). Each comes with its CAP case's
    Party, the rating it cites and the compliance cases it answers."""
    return list(
        Result.objects.filter(
            cap_case__party_id__in=list(party_ids),
            review_status=ReviewStatus.ACCEPTED,
            achieved_on__lte=as_of,
            reviewed_at__date__lte=as_of,
        )
        .select_related("cap_case__party", "progress_rating__meeting")
        .prefetch_related("compliance_cases__mechanism")
        .order_by("cap_case__party__name", "achieved_on", "pk")
    )


def partners(party_ids) -> list[Stakeholder]:
    """The partners and stakeholders recorded in these Parties' in-country coordination, with
    the CAP case's Party."""
    return list(
        Stakeholder.objects.filter(cap_case__party_id__in=list(party_ids))
        .select_related("cap_case__party")
        .order_by("cap_case__party__name", "name")
    )
