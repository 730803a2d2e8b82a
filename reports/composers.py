"""Section composers: the default text and figures of each section of the report, from the data.

One small function per section kind, registered with ``@composer(kind)``: it takes a
:class:`ComposeContext` (the report, its as-of date, its Parties, the Party of a Party section)
and returns a :class:`Composition` — the default body (paragraphs separated by blank lines, "- "
lines for a lettered list) and the figures it used. A later slice plugs in by registering a
composer for a kind, or by filling a selector in ``reports.selectors``. Composers run under
``translation.override(report.language)``, so their text follows the report's language.
Where data is not recorded (yet), a composer says so; it never invents figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from cases.choices import PENDING_RECOMMENDATION_STATUSES, RecommendationStatus

from . import selectors
from .choices import SectionKind

K = SectionKind


@dataclass(frozen=True)
class SectionLayout:
    """Where a kind of section sits in the document and how it is shown."""

    kind: str
    heading: object  # a lazy translatable string; "" for no heading
    level: int = 1  # 1: main heading, 2: sub-heading (a Party, a finding)
    numbered: bool = True  # paragraphs take the document's continuous numbers
    per_party: bool = False


# The document's order, after the SC78 document (SC78 Doc. 23).
LAYOUT: list[SectionLayout] = [
    SectionLayout(K.INTRODUCTION, ""),
    SectionLayout(K.BACKGROUND, gettext_lazy("Background")),
    SectionLayout(
        K.IMPLEMENTATION,
        gettext_lazy("In-country compliance assistance to selected Parties by the Secretariat"),
    ),
    SectionLayout(K.PARTY, "", level=2, per_party=True),
    SectionLayout(
        K.FINDINGS,
        gettext_lazy("Overall findings and recommendations of the Secretariat on CAP implementation"),
    ),
    SectionLayout(K.FINDING_SELECTION, gettext_lazy("Selection of beneficiary Parties"), level=2),
    SectionLayout(K.FINDING_IMPACT, gettext_lazy("Impact"), level=2),
    SectionLayout(K.FINDING_SUSTAINABILITY, gettext_lazy("Sustainability"), level=2),
    SectionLayout(K.FINDING_TIMEFRAMES, gettext_lazy("Timeframes"), level=2),
    SectionLayout(K.FINDING_FINANCE, gettext_lazy("Financial mechanisms and disbursement"), level=2),
    SectionLayout(K.FINDING_ABSORPTION, gettext_lazy("Budget absorption"), level=2),
    SectionLayout(K.FINDING_GENDER, gettext_lazy("Gender considerations"), level=2),
    SectionLayout(K.FINDING_MANAGEMENT, gettext_lazy("CAP management, monitoring and evaluation"), level=2),
    SectionLayout(K.RECOMMENDATIONS, gettext_lazy("Recommendations")),
    SectionLayout(
        K.DRAFT_DECISIONS,
        gettext_lazy("Draft decisions on the Compliance Assistance Programme"),
        numbered=False,
    ),
]
LAYOUT_BY_KIND = {layout.kind: layout for layout in LAYOUT}


@dataclass
class ComposeContext:
    """What a composer composes from. ``memo`` shares a query between the sections of one run."""

    report: object
    as_of: datetime.date
    parties: list
    party: object = None
    cache: dict = field(default_factory=dict)

    @property
    def party_ids(self) -> list[int]:
        return [party.pk for party in self.parties]

    def memo(self, key: str, compute: Callable):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def for_party(self, party) -> ComposeContext:
        return ComposeContext(self.report, self.as_of, self.parties, party, self.cache)


@dataclass
class Composition:
    body: str
    figures: dict = field(default_factory=dict)


COMPOSERS: dict[str, Callable[[ComposeContext], Composition]] = {}


def composer(kind: str):
    """Register the composer of a section kind (a later registration replaces an earlier one)."""

    def register(function):
        COMPOSERS[kind] = function
        return function

    return register


def compose(kind: str, context: ComposeContext) -> Composition:
    function = COMPOSERS.get(kind)
    if function is None:
        return Composition("")
    return function(context)


# --- Helpers -------------------------------------------------------------------------------------


def format_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def format_range(start: datetime.date, end: datetime.date) -> str:
    """ "3-8 February 2025"; "28 March-2 April 2024"; one day: "27 March 2024"."""
    if start == end:
        return format_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}-{format_date(end)}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')}-{format_date(end)}"
    return f"{format_date(start)}-{format_date(end)}"


def join_list(items: list[str]) -> str:
    """ "a, b and c" in the active language."""
    items = [str(item) for item in items if item]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def bullet_list(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _party_name(context: ComposeContext) -> str:
    return context.party.name if context.party is not None else ""


# --- Front matter and background -----------------------------------------------------------------


@composer(K.INTRODUCTION)
def compose_introduction(context: ComposeContext) -> Composition:
    return Composition(gettext("This document has been prepared by the Secretariat."))


@composer(K.BACKGROUND)
def compose_background(context: ComposeContext) -> Composition:
    return Composition(
        paragraphs(
            gettext(
                "The primary objective of the Compliance Assistance Programme (CAP) is to support Parties in "
                "achieving or restoring compliance. The CAP provides tailored support to address "
                "recommendations by the Standing Committee and the Conference of the Parties and take action "
                "under specific compliance mechanisms and processes."
            ),
            gettext(
                "The CAP is a needs-driven programme. Technical support is provided by the Secretariat and "
                "partners and is tailored to the strengths and needs of individual beneficiary Parties in "
                "collaboration with them."
            ),
        )
    )


@composer(K.IMPLEMENTATION)
def compose_implementation(context: ComposeContext) -> Composition:
    names = [party.name for party in context.parties]
    budget = context.memo("budget", lambda: selectors.budget_figures(context.party_ids, context.as_of))
    donors = [row["donor"] for row in budget["donors"]] if budget and budget.get("donors") else []
    if names:
        support = gettext("The Secretariat is currently providing CAP support to %(parties)s.") % {
            "parties": join_list(names)
        }
    else:
        support = gettext("No beneficiary Party is included in this report.")
    if donors:
        funding = gettext(
            "The implementation of the CAP was made possible thanks to the financial support of %(donors)s."
        ) % {"donors": join_list(donors)}
    else:
        funding = gettext("The donors of the CAP are not yet recorded in the portal.")
    as_of = gettext(
        "All information below is as of %(date)s and based on the latest updates provided by the Parties."
    ) % {"date": format_date(context.as_of)}
    return Composition(paragraphs(funding, support, as_of), {"parties": len(names), "donors": donors})


# --- One section per beneficiary Party -----------------------------------------------------------


def _party_mechanisms(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    cases = selectors.open_compliance_cases(party.pk, context.as_of)
    labels = []
    for case in cases:
        label = str(case.mechanism.short_name)
        labels.append(f"{label} ({case.species})" if case.species else label)
    counts = context.memo(
        "recommendations", lambda: selectors.recommendation_counts(context.party_ids, context.as_of)
    ).get(party.pk, {})
    total = sum(counts.values())
    pending = sum(counts.get(status, 0) for status in PENDING_RECOMMENDATION_STATUSES)
    implemented = counts.get(RecommendationStatus.IMPLEMENTED, 0)
    if labels:
        text = gettext(
            "%(party)s is subject to the following compliance mechanisms and processes: %(list)s."
        ) % {
            "party": party.name,
            "list": join_list(labels),
        }
    else:
        text = gettext("No open compliance case is recorded for %(party)s as of %(date)s.") % {
            "party": party.name,
            "date": format_date(context.as_of),
        }
    if total:
        text += " " + gettext(
            "Of the %(total)s recommendations adopted for the Party, %(implemented)s have been implemented "
            "and %(pending)s remain pending."
        ) % {"total": total, "implemented": implemented, "pending": pending}
    return text, {
        "mechanisms": labels,
        "recommendations": {"total": total, "pending": pending, "implemented": implemented},
    }


def _party_workplan(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    workplan = context.memo(
        "workplans", lambda: selectors.current_workplans(context.party_ids, context.as_of)
    ).get(party.pk)
    if workplan is None:
        return gettext("No workplan is recorded for %(party)s yet.") % {"party": party.name}, {
            "workplan": None
        }
    areas = selectors.workplan_areas(workplan)
    text = gettext(
        "The workplan “%(title)s” (version %(version)s, %(period)s) is led by the Management Authority."
    ) % {
        "title": workplan.title,
        "version": workplan.version,
        "period": format_range(workplan.starts_on, workplan.ends_on),
    }
    if areas:
        text += " " + gettext("It addresses the following areas: %(areas)s.") % {"areas": join_list(areas)}
    objective = (getattr(workplan, "objective", "") or "").strip()
    if objective:
        text += " " + objective
    return text, {
        "workplan": {"title": workplan.title, "version": workplan.version, "areas": areas},
    }


def _party_progress(context: ComposeContext) -> tuple[str, dict]:
    counts, labels = context.memo(
        "activities", lambda: selectors.activities_by_status(context.party_ids, context.as_of)
    )
    by_status = counts.get(context.party.pk, {})
    total = sum(by_status.values())
    if not total:
        return gettext("No workplan activity is recorded yet."), {"activities": {}}
    order = list(labels) + sorted(set(by_status) - set(labels))
    parts = [f"{by_status[s]} {labels.get(s, s).lower()}" for s in order if by_status.get(s)]
    text = ngettext(
        "The workplan has %(total)s activity: %(parts)s.",
        "The workplan has %(total)s activities: %(parts)s.",
        total,
    ) % {"total": total, "parts": join_list(parts)}
    return text, {"activities": dict(sorted(by_status.items())), "activities_total": total}


def _party_missions_and_events(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    missions = [
        m
        for m in context.memo("missions", lambda: selectors.missions(context.party_ids, context.as_of))
        if m.cap_case.party_id == party.pk
    ]
    events = [
        e
        for e in context.memo("events", lambda: selectors.events(context.party_ids, context.as_of))
        if e.cap_case.party_id == party.pk
    ]
    items = []
    for mission in missions:
        items.append(
            gettext("a mission of the Secretariat to %(place)s, %(dates)s")
            % {
                "place": mission.place,
                "dates": format_range(mission.starts_on, mission.ends_on),
            }
        )
    for event in events:
        where = (
            gettext("online") if getattr(event, "is_online", False) else (getattr(event, "venue", "") or "")
        )
        items.append(
            gettext("%(title)s (%(where)s, %(dates)s)")
            % {
                "title": event.title,
                "where": where,
                "dates": format_range(event.start_on, event.end_on),
            }
        )
    sexes = context.memo(
        "participants", lambda: selectors.participants_by_sex(context.party_ids, context.as_of)
    ).get(party.pk, {"female": 0, "male": 0, "other": 0})
    figures = {"missions": len(missions), "events": len(events), "participants": sexes}
    if not items:
        return gettext("No mission or event is recorded up to %(date)s.") % {
            "date": format_date(context.as_of)
        }, figures
    total = sum(sexes.values())
    text = gettext("Missions and events held up to %(date)s:") % {"date": format_date(context.as_of)}
    text += "\n\n" + bullet_list(items)
    if total:
        text += "\n\n" + gettext(
            "These events brought together %(total)s participants: %(female)s women, %(male)s men and "
            "%(other)s other or not recorded."
        ) % {"total": total, **sexes}
    return text, figures


def _party_deliverables(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    rows = [
        d
        for d in context.memo(
            "deliverables", lambda: selectors.deliverables(context.party_ids, context.as_of)
        )
        if d.cap_case.party_id == party.pk
    ]
    if not rows:
        return gettext("No deliverable is recorded as delivered up to %(date)s.") % {
            "date": format_date(context.as_of)
        }, {"deliverables": 0}
    text = (
        gettext("Deliverables produced:")
        + "\n\n"
        + bullet_list(
            [
                gettext("%(title)s (%(date)s)") % {"title": d.title, "date": format_date(d.delivered_on)}
                for d in rows
            ]
        )
    )
    return text, {"deliverables": len(rows)}


def _party_delays(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    late = selectors.late_activities(party.pk, context.as_of)
    actions = selectors.corrective_actions(party.pk, context.as_of)
    parts = []
    if late:
        parts.append(
            ngettext(
                "%(count)s activity is delayed or past its planned end: %(list)s.",
                "%(count)s activities are delayed or past their planned end: %(list)s.",
                len(late),
            )
            % {"count": len(late), "list": join_list([f"{a.code} {a.title}" for a in late])}
        )
    else:
        parts.append(gettext("No activity is recorded as delayed."))
    if actions:
        parts.append(
            ngettext(
                "%(count)s corrective action was agreed.",
                "%(count)s corrective actions were agreed.",
                len(actions),
            )
            % {"count": len(actions)}
        )
    budget = context.memo("budget", lambda: selectors.budget_figures(context.party_ids, context.as_of))
    extensions = None
    if budget:
        row = next((r for r in budget.get("parties", []) if r.get("party_id") == party.pk), None)
        extensions = row.get("no_cost_extensions") if row else None
    if extensions is None:
        parts.append(
            gettext("No-cost extensions: no data recorded (funding agreements are not yet recorded).")
        )
    elif extensions:
        parts.append(
            ngettext(
                "The funding agreement was extended at no cost %(count)s time.",
                "The funding agreement was extended at no cost %(count)s times.",
                extensions,
            )
            % {"count": extensions}
        )
    else:
        parts.append(gettext("The funding agreement was not extended."))
    return " ".join(parts), {
        "late_activities": len(late),
        "corrective_actions": len(actions),
        "no_cost_extensions": extensions,
    }


# The parts of a Party section, in order; each is small and separately testable.
PARTY_PARTS: list[Callable[[ComposeContext], tuple[str, dict]]] = [
    _party_mechanisms,
    _party_workplan,
    _party_progress,
    _party_missions_and_events,
    _party_deliverables,
    _party_delays,
]


@composer(K.PARTY)
def compose_party(context: ComposeContext) -> Composition:
    texts, figures = [], {}
    cap_case = context.memo("cap_cases", lambda: selectors.cap_cases(context.party_ids)).get(context.party.pk)
    summary = (getattr(cap_case, "summary", "") or "").strip()
    if summary:
        texts.append(summary)
    for part in PARTY_PARTS:
        text, part_figures = part(context)
        texts.append(text)
        figures.update(part_figures)
    return Composition(paragraphs(*texts), figures)


# --- Overall findings ----------------------------------------------------------------------------


@composer(K.FINDINGS)
def compose_findings(context: ComposeContext) -> Composition:
    return Composition(
        gettext(
            "Through monitoring of the CAP activities and compliance support in different Parties, the "
            "Secretariat has been collecting information on the added value of the CAP, as well as on the "
            "difficulties and challenges faced during its implementation."
        )
    )


@composer(K.FINDING_SELECTION)
def compose_selection(context: ComposeContext) -> Composition:
    cases = context.memo("cap_cases", lambda: selectors.cap_cases(context.party_ids))
    stages: dict[str, int] = {}
    for case in cases.values():
        stages[case.stage] = stages.get(case.stage, 0) + 1
    text = ngettext(
        "This report covers %(count)s beneficiary Party, identified through the Secretariat's selection "
        "process: a desk-based review of the Parties subject to multiple compliance processes, followed by "
        "direct contact and exchange of information with them.",
        "This report covers %(count)s beneficiary Parties, identified through the Secretariat's selection "
        "process: a desk-based review of the Parties subject to multiple compliance processes, followed by "
        "direct contact and exchange of information with them.",
        len(context.parties),
    ) % {"count": len(context.parties)}
    return Composition(text, {"parties": len(context.parties), "stages": dict(sorted(stages.items()))})


@composer(K.FINDING_IMPACT)
def compose_impact(context: ComposeContext) -> Composition:
    counts = context.memo(
        "recommendations", lambda: selectors.recommendation_counts(context.party_ids, context.as_of)
    )
    total = sum(sum(c.values()) for c in counts.values())
    implemented = sum(c.get(RecommendationStatus.IMPLEMENTED, 0) for c in counts.values())
    if not total:
        text = gettext("No recommendation of the CITES bodies is recorded for the beneficiary Parties yet.")
    else:
        text = gettext(
            "Of the %(total)s recommendations of the CITES bodies recorded for the beneficiary Parties as of "
            "%(date)s, %(implemented)s have been implemented."
        ) % {"total": total, "implemented": implemented, "date": format_date(context.as_of)}
    return Composition(text, {"recommendations": total, "implemented": implemented})


@composer(K.FINDING_SUSTAINABILITY)
def compose_sustainability(context: ComposeContext) -> Composition:
    rows = context.memo("deliverables", lambda: selectors.deliverables(context.party_ids, context.as_of))
    text = gettext(
        "Institutional and legislative improvements and reforms have been core to the implementation plans, "
        "setting the ground for better compliance beyond the end of the projects."
    )
    if rows:
        text += " " + ngettext(
            "%(count)s deliverable (guidelines, databases, NDFs and others) has been produced to date.",
            "%(count)s deliverables (guidelines, databases, NDFs and others) have been produced to date.",
            len(rows),
        ) % {"count": len(rows)}
    return Composition(text, {"deliverables": len(rows)})


@composer(K.FINDING_TIMEFRAMES)
def compose_timeframes(context: ComposeContext) -> Composition:
    workplans = context.memo(
        "workplans", lambda: selectors.current_workplans(context.party_ids, context.as_of)
    )
    months = [
        (wp.ends_on.year - wp.starts_on.year) * 12 + wp.ends_on.month - wp.starts_on.month
        for wp in workplans.values()
    ]
    revised = selectors.revised_workplans(context.party_ids)
    if not months:
        return Composition(gettext("No workplan timeframe is recorded yet."), {"workplans": 0})
    text = gettext(
        "The %(count)s workplans recorded run for %(min)s to %(max)s months. "
        "%(revised)s of them were revised during implementation."
    ) % {"count": len(months), "min": min(months), "max": max(months), "revised": revised}
    return Composition(
        text,
        {"workplans": len(months), "months_min": min(months), "months_max": max(months), "revised": revised},
    )


NO_BUDGET = gettext_lazy(
    "No data recorded: funding agreements, disbursements and expenditure are not yet recorded in the portal."
)


@composer(K.FINDING_FINANCE)
def compose_finance(context: ComposeContext) -> Composition:
    budget = context.memo("budget", lambda: selectors.budget_figures(context.party_ids, context.as_of))
    if not budget:
        return Composition(str(NO_BUDGET), {"recorded": False})
    received = budget["programme"]["received"]
    text = gettext("Funds received by the beneficiary Parties as of %(date)s: %(currency)s %(amount)s.") % {
        "date": format_date(context.as_of),
        "currency": budget.get("currency", ""),
        "amount": f"{received:,.2f}",
    }
    return Composition(text, {"recorded": True, "received": str(received)})


@composer(K.FINDING_ABSORPTION)
def compose_absorption(context: ComposeContext) -> Composition:
    budget = context.memo("budget", lambda: selectors.budget_figures(context.party_ids, context.as_of))
    if not budget:
        return Composition(str(NO_BUDGET), {"recorded": False})
    rate = budget["programme"]["absorption"]  # budgets.selectors.absorption_rate, as on every page
    if rate is None:
        return Composition(gettext("No funds are recorded as received yet."), {"recorded": True})
    text = gettext("The beneficiary Parties had spent %(rate)s%% of the funds received as of %(date)s.") % {
        "rate": rate,
        "date": format_date(context.as_of),
    }
    return Composition(text, {"recorded": True, "absorption": str(rate)})


@composer(K.FINDING_GENDER)
def compose_gender(context: ComposeContext) -> Composition:
    by_party = context.memo(
        "participants", lambda: selectors.participants_by_sex(context.party_ids, context.as_of)
    )
    totals = {sex: sum(row[sex] for row in by_party.values()) for sex in ("female", "male", "other")}
    total = sum(totals.values())
    if not total:
        return Composition(
            gettext("No participants by sex are recorded for CAP events up to %(date)s.")
            % {"date": format_date(context.as_of)},
            {"participants": totals},
        )
    share = round(100 * totals["female"] / total)
    text = gettext(
        "CAP events held up to %(date)s brought together %(total)s participants: %(female)s women "
        "(%(share)s%%), %(male)s men and %(other)s other or not recorded."
    ) % {"date": format_date(context.as_of), "total": total, "share": share, **totals}
    return Composition(text, {"participants": totals, "female_share": share})


@composer(K.FINDING_MANAGEMENT)
def compose_management(context: ComposeContext) -> Composition:
    missions = context.memo("missions", lambda: selectors.missions(context.party_ids, context.as_of))
    text = gettext(
        "A dedicated programme management officer within the Secretariat provides focused compliance support "
        "to each of the CAP countries and monitors implementation."
    )
    if missions:
        text += " " + ngettext(
            "The Secretariat undertook %(count)s technical mission.",
            "The Secretariat undertook %(count)s technical missions.",
            len(missions),
        ) % {"count": len(missions)}
    return Composition(text, {"missions": len(missions)})


# --- Recommendations and draft decisions ---------------------------------------------------------


@composer(K.RECOMMENDATIONS)
def compose_recommendations(context: ComposeContext) -> Composition:
    items = [
        gettext(
            "acknowledge the commitment of Parties benefitting from the CAP to improve their compliance "
            "status, and welcome the results obtained through the CAP by the respective Parties;"
        ),
        gettext(
            "encourage Parties facing multiple and long-term compliance issues to express interest in "
            "benefitting from the CAP;"
        ),
        gettext(
            "take note of the overall findings of the Secretariat relating to the implementation of the "
            "CAP; and"
        ),
        gettext("review and submit the draft decisions contained in the Annex to the present document."),
    ]
    return Composition(gettext("The Standing Committee is invited to:") + "\n\n" + bullet_list(items))


@composer(K.DRAFT_DECISIONS)
def compose_draft_decisions(context: ComposeContext) -> Composition:
    return Composition(
        paragraphs(
            gettext("Directed to the Parties"),
            gettext(
                "Parties are invited to continue to provide financial or technical support to Parties "
                "subject to compliance mechanisms, including through the Compliance Assistance Programme."
            ),
            gettext("Directed to the Secretariat"),
            gettext(
                "Subject to extrabudgetary resources, the Secretariat shall continue assisting Parties "
                "through the Compliance Assistance Programme and report to the Standing Committee on the "
                "progress made."
            ),
        )
    )
