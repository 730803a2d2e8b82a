"""One section per beneficiary Party."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext, ngettext

from cases.choices import PENDING_RECOMMENDATION_STATUSES, RecommendationStatus

from .. import selectors
from .base import (
    ComposeContext,
    Composition,
    K,
    bullet_list,
    composer,
    format_date,
    format_range,
    join_list,
    paragraphs,
)

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
