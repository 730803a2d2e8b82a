"""One section per beneficiary Party: the data text, written as the Secretariat writes.

Every count goes through ``ngettext`` (the singular and plural of every language), a count of
zero makes no sentence, recommendations are cited by the summary records they come from
("adopted by the Standing Committee at its 71st meeting (SC71 SR)"), the outcome of the previous
meeting is stated from the progress ratings, and deliverables and results are cited by what was
delivered and achieved — only once the Secretariat has accepted them (``reports.selectors``).
The case manager's narrative comes before this text (``ReportSection.narrative``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext

from cases.choices import PENDING_RECOMMENDATION_STATUSES, MeetingBody, RecommendationStatus

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
    named,
    paragraphs,
)

# "adopted by the Standing Committee at its 71st meeting": the body as a sentence names it.
BODY_NAMES = {
    MeetingBody.SC: gettext_lazy("the Standing Committee"),
    MeetingBody.AC: gettext_lazy("the Animals Committee"),
    MeetingBody.PC: gettext_lazy("the Plants Committee"),
    MeetingBody.COP: gettext_lazy("the Conference of the Parties"),
}


def ordinal(number: int) -> str:
    """71st, 71e, 71ª: the ordinal of a meeting number in the active language."""
    language = (get_language() or "en")[:2]
    if language == "fr":
        return "1re" if number == 1 else f"{number}e"
    if language == "es":
        return f"{number}ª"
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _body_name(body: str) -> str:
    return str(BODY_NAMES.get(body, body))


def recommendation_sources(recommendations: list) -> str:
    """ "by the Standing Committee at its 70th and 71st meetings (SC70 SR, SC71 SR)": the bodies,
    meetings and summary records the recommendations were adopted at, oldest first."""
    by_body: dict[str, dict] = {}
    for recommendation in sorted(recommendations, key=lambda r: (r.adopted_at.starts_on, r.reference)):
        meeting = recommendation.adopted_at
        meetings = by_body.setdefault(meeting.body, {})
        references = meetings.setdefault(meeting.number, [])
        if recommendation.reference not in references:
            references.append(recommendation.reference)
    phrases = []
    for body, meetings in by_body.items():
        references = [reference for refs in meetings.values() for reference in refs]
        phrases.append(
            ngettext(
                "by %(body)s at its %(ordinals)s meeting (%(references)s)",
                "by %(body)s at its %(ordinals)s meetings (%(references)s)",
                len(meetings),
            )
            % {
                "body": _body_name(body),
                "ordinals": join_list([ordinal(number) for number in meetings]),
                "references": ", ".join(references),
            }
        )
    return join_list(phrases)


def recommendation_sentence(recommendations: list) -> str:
    """What became of the recommendations, with their sources; "" when there are none."""
    total = len(recommendations)
    if not total:
        return ""
    sources = recommendation_sources(recommendations)
    if total == 1:
        status = recommendations[0].status
        if status == RecommendationStatus.IMPLEMENTED:
            text = gettext("The recommendation adopted %(sources)s has been implemented.")
        elif status == RecommendationStatus.NOT_IMPLEMENTED:
            text = gettext("The recommendation adopted %(sources)s has not been implemented.")
        elif status == RecommendationStatus.WITHDRAWN:
            text = gettext("The recommendation adopted %(sources)s was withdrawn.")
        else:
            text = gettext("The recommendation adopted %(sources)s remains pending.")
        return text % {"sources": sources}
    implemented = sum(1 for r in recommendations if r.status == RecommendationStatus.IMPLEMENTED)
    pending = sum(1 for r in recommendations if r.status in PENDING_RECOMMENDATION_STATUSES)
    not_implemented = sum(1 for r in recommendations if r.status == RecommendationStatus.NOT_IMPLEMENTED)
    withdrawn = sum(1 for r in recommendations if r.status == RecommendationStatus.WITHDRAWN)
    single = _all_alike(total, implemented, not_implemented, withdrawn, pending)
    if single:
        return single % {"count": total, "sources": sources}
    parts = []
    if implemented:
        parts.append(
            ngettext("%(count)s has been implemented", "%(count)s have been implemented", implemented)
            % {"count": implemented}
        )
    if not_implemented:
        parts.append(
            ngettext(
                "%(count)s has not been implemented", "%(count)s have not been implemented", not_implemented
            )
            % {"count": not_implemented}
        )
    if withdrawn:
        parts.append(
            ngettext("%(count)s was withdrawn", "%(count)s were withdrawn", withdrawn) % {"count": withdrawn}
        )
    if pending:
        parts.append(
            ngettext("%(count)s remains pending", "%(count)s remain pending", pending) % {"count": pending}
        )
    return ngettext(
        "Of the %(count)s recommendation adopted %(sources)s, %(parts)s.",
        "Of the %(count)s recommendations adopted %(sources)s, %(parts)s.",
        total,
    ) % {"count": total, "sources": sources, "parts": join_list(parts)}


def _all_alike(total: int, implemented: int, not_implemented: int, withdrawn: int, pending: int) -> str:
    """The sentence when every recommendation is in the same state ("All 5 … remain pending."),
    "" otherwise."""
    if implemented == total:
        return ngettext(
            "The %(count)s recommendation adopted %(sources)s has been implemented.",
            "All %(count)s recommendations adopted %(sources)s have been implemented.",
            total,
        )
    if pending == total:
        return ngettext(
            "The %(count)s recommendation adopted %(sources)s remains pending.",
            "All %(count)s recommendations adopted %(sources)s remain pending.",
            total,
        )
    if not_implemented == total:
        return ngettext(
            "The %(count)s recommendation adopted %(sources)s has not been implemented.",
            "None of the %(count)s recommendations adopted %(sources)s has been implemented.",
            total,
        )
    if withdrawn == total:
        return ngettext(
            "The %(count)s recommendation adopted %(sources)s was withdrawn.",
            "All %(count)s recommendations adopted %(sources)s were withdrawn.",
            total,
        )
    return ""


# --- The parts of a Party section ----------------------------------------------------------------


def _party_rating(context: ComposeContext) -> tuple[str, dict]:
    """The outcome of the previous meeting: "At SC77, the Standing Committee agreed an overall
    rating of 'achieved' for Cambodia's NIAP." """
    party = context.party
    ratings = context.progress_ratings(party.pk)
    sentences = []
    for rating in ratings:
        case = rating.compliance_case
        process = str(case.mechanism.short_name)
        if case.species:
            process = f"{process} ({case.species})"
        sentences.append(
            gettext(
                "At %(meeting)s, %(body)s agreed an overall rating of '%(rating)s' for %(party)s's "
                "%(process)s."
            )
            % {
                "meeting": rating.meeting.code,
                "body": _body_name(rating.meeting.body),
                "rating": str(rating.get_rating_display()).lower(),
                "party": named(party.localized_name),
                "process": process,
            }
        )
    figures = {"ratings": [{"meeting": r.meeting.code, "rating": r.rating} for r in ratings]}
    return " ".join(sentences), figures


def _party_mechanisms(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    cases = context.open_compliance_cases(party.pk)
    labels = []
    for case in cases:
        label = str(case.mechanism.short_name)
        labels.append(f"{label} ({case.species})" if case.species else label)
    recommendations = context.of_party(
        "recommendations", context.recommendations, lambda r: r.party_id, party.pk
    )
    total = len(recommendations)
    pending = sum(1 for r in recommendations if r.status in PENDING_RECOMMENDATION_STATUSES)
    implemented = sum(1 for r in recommendations if r.status == RecommendationStatus.IMPLEMENTED)
    if labels:
        text = ngettext(
            "%(party)s is subject to the following compliance mechanism or process: %(list)s.",
            "%(party)s is subject to the following compliance mechanisms and processes: %(list)s.",
            len(labels),
        ) % {"party": capfirst(named(party.localized_name)), "list": join_list(labels)}
    else:
        text = gettext("No open compliance case is recorded for %(party)s as of %(date)s.") % {
            "party": named(party.localized_name),
            "date": format_date(context.as_of),
        }
    sentence = recommendation_sentence(recommendations)
    if sentence:
        text += " " + sentence
    return text, {
        "mechanisms": labels,
        "recommendations": {"total": total, "pending": pending, "implemented": implemented},
        "sources": sorted({r.reference for r in recommendations}),
    }


def _party_workplan(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    workplan = context.workplans().get(party.pk)
    if workplan is None:
        return gettext("No workplan is recorded for %(party)s yet.") % {
            "party": named(party.localized_name)
        }, {"workplan": None}
    activities = context.of_party("activities", context.activities, lambda a: a.party_id, party.pk)
    areas = selectors.workplan_areas(workplan, context.as_of, activities=activities)
    text = gettext(
        "The workplan “%(title)s” (version %(version)s, %(period)s) is led by the Management Authority."
    ) % {
        "title": workplan.title,
        "version": workplan.version,
        "period": format_range(workplan.starts_on, workplan.ends_on),
    }
    if areas:
        text += " " + ngettext(
            "It addresses the following area: %(areas)s.",
            "It addresses the following areas: %(areas)s.",
            len(areas),
        ) % {"areas": join_list(areas)}
    objective = (workplan.objective or "").strip()
    if objective:
        text += " " + objective
    return text, {"workplan": {"title": workplan.title, "version": workplan.version, "areas": areas}}


def _party_progress(context: ComposeContext) -> tuple[str, dict]:
    counts, labels = context.activity_counts()
    by_status = counts.get(context.party.pk, {})
    total = sum(by_status.values())
    if not total:
        return gettext("No workplan activity is recorded yet."), {"activities": {}}
    order = list(labels) + sorted(set(by_status) - set(labels))
    parts = [f"{by_status[s]} {labels.get(s, s).lower()}" for s in order if by_status.get(s)]
    if len(by_status) == 1 and total > 1:
        status = labels.get(next(iter(by_status)), "").lower()
        text = ngettext(
            "The workplan's %(total)s activity is %(status)s.",
            "All %(total)s activities of the workplan are %(status)s.",
            total,
        ) % {"total": total, "status": status}
        return text, {"activities": dict(sorted(by_status.items())), "activities_total": total}
    text = ngettext(
        "The workplan has %(total)s activity: %(parts)s.",
        "The workplan has %(total)s activities: %(parts)s.",
        total,
    ) % {"total": total, "parts": join_list(parts)}
    return text, {"activities": dict(sorted(by_status.items())), "activities_total": total}


def participants_sentence(sexes: dict) -> str:
    """ "These events brought together 30 participants: 12 women and 18 men." (no zero parts)."""
    total = sum(sexes.values())
    if not total:
        return ""
    parts = []
    if sexes.get("female"):
        parts.append(
            ngettext("%(count)s woman", "%(count)s women", sexes["female"]) % {"count": sexes["female"]}
        )
    if sexes.get("male"):
        parts.append(ngettext("%(count)s man", "%(count)s men", sexes["male"]) % {"count": sexes["male"]})
    if sexes.get("other"):
        parts.append(
            ngettext(
                "%(count)s participant whose sex is not recorded",
                "%(count)s participants whose sex is not recorded",
                sexes["other"],
            )
            % {"count": sexes["other"]}
        )
    return ngettext(
        "These events brought together %(total)s participant: %(parts)s.",
        "These events brought together %(total)s participants: %(parts)s.",
        total,
    ) % {"total": total, "parts": join_list(parts)}


def _party_missions_and_events(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    missions = context.of_party("missions", context.missions, lambda m: m.cap_case.party_id, party.pk)
    events = context.of_party("events", context.events, lambda e: e.cap_case.party_id, party.pk)
    items = [
        gettext("a mission of the Secretariat to %(place)s, %(dates)s")
        % {"place": mission.place, "dates": format_range(mission.starts_on, mission.ends_on)}
        for mission in missions
    ]
    for event in events:
        where = gettext("online") if event.is_online else (event.venue or "")
        dates = format_range(event.start_on, event.end_on)
        items.append(
            gettext("%(title)s (%(where)s, %(dates)s)")
            % {"title": event.title, "where": where, "dates": dates}
            if where
            else gettext("%(title)s (%(dates)s)") % {"title": event.title, "dates": dates}
        )
    sexes = context.participants().get(party.pk, {"female": 0, "male": 0, "other": 0})
    figures = {"missions": len(missions), "events": len(events), "participants": sexes}
    if not items:
        return gettext("No mission or event is recorded up to %(date)s.") % {
            "date": format_date(context.as_of)
        }, figures
    text = ngettext(
        "The following mission or event was held up to %(date)s:",
        "The following missions and events were held up to %(date)s:",
        len(items),
    ) % {"date": format_date(context.as_of)}
    text += "\n\n" + bullet_list(items)
    participants = participants_sentence(sexes) if events else ""
    if participants:
        text += "\n\n" + participants
    return text, figures


def _party_deliverables(context: ComposeContext) -> tuple[str, dict]:
    """What was delivered, accepted by the Secretariat on or before the as-of date."""
    party = context.party
    rows = context.of_party(
        "deliverables",
        context.deliverables,
        lambda d: d.cap_case.party_id,
        party.pk,
    )
    if not rows:
        return "", {"deliverables": 0}
    items = []
    for deliverable in rows:
        values = {
            "title": deliverable.title,
            "kind": str(deliverable.get_kind_display()),
            "date": format_date(deliverable.delivered_on),
        }
        if deliverable.activity_id:
            values["activity"] = f"{deliverable.activity.code} {deliverable.activity.title}"
            items.append(
                gettext("%(title)s (%(kind)s, delivered on %(date)s under activity %(activity)s)") % values
            )
        else:
            items.append(gettext("%(title)s (%(kind)s, delivered on %(date)s)") % values)
    text = ngettext(
        "With the support of the CAP, %(party)s delivered the following product, accepted by the "
        "Secretariat:",
        "With the support of the CAP, %(party)s delivered the following %(count)s products, accepted by "
        "the Secretariat:",
        len(rows),
    ) % {"party": named(party.localized_name), "count": len(rows)}
    return text + "\n\n" + bullet_list(items), {
        "deliverables": len(rows),
        "delivered": [d.title for d in rows],
    }


def _party_results(context: ComposeContext) -> tuple[str, dict]:
    """The results accepted on or before the as-of date, with their evidence."""
    party = context.party
    stated = {rating.pk for rating in context.progress_ratings(party.pk)}
    results = context.of_party(
        "results",
        context.results,
        lambda r: r.cap_case.party_id,
        party.pk,
    )
    # A result that is the rating of the previous meeting is stated by _party_rating already.
    rows = [r for r in results if not (r.progress_rating_id and r.progress_rating_id in stated)]
    if not rows:
        return "", {"results": 0}
    items = []
    for result in rows:
        evidence = [format_date(result.achieved_on)]
        if result.document_reference:
            evidence.append(gettext("see %(document)s") % {"document": result.document_reference})
        if result.notification:
            evidence.append(gettext("Notification No. %(number)s") % {"number": result.notification})
        items.append(f"{result.title} ({'; '.join(evidence)})")
    text = ngettext(
        "The following result was achieved:",
        "The following %(count)s results were achieved:",
        len(rows),
    ) % {"count": len(rows)}
    return text + "\n\n" + bullet_list(items), {"results": len(rows)}


def _party_delays(context: ComposeContext) -> tuple[str, dict]:
    party = context.party
    late = context.late_activities(party.pk)
    actions = context.corrective_actions(party.pk)
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
                "The funding agreement was extended once at no cost.",
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
    _party_rating,
    _party_mechanisms,
    _party_workplan,
    _party_progress,
    _party_missions_and_events,
    _party_deliverables,
    _party_results,
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
