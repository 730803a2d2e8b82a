"""Overall findings and conclusions: the evidence under each heading of the real document (SC78
Doc. 23 paras. 28–60), computed from the data as of the report's date, in the Secretariat's voice.

Each composer gives the evidence only; the narrative above it is the case manager's (carried
forward by ``reports.services``). Counts use ``ngettext``; a count of zero is never written as a
sentence ("0 other or not recorded"): the sentence is left out, or says "none" in words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext

from budgets.choices import CounterpartKind
from budgets.selectors import funding_donors, instrument_timeframes
from cap_portal.access import PARTY_ROLES, holds_role
from cases.choices import RecommendationStatus, StakeholderKind
from cases.selectors import partners
from workplans.choices import ActivityStatus, ResponsibleEntity
from workplans.models import Activity, Deliverable, Indicator

from .. import selectors
from .base import (
    ComposeContext,
    Composition,
    K,
    bullet_list,
    composer,
    format_date,
    format_number,
    join_list,
    named,
    names,
    paragraphs,
)

# --- Helpers -------------------------------------------------------------------------------------


def amount(value: Decimal, places: int = 2) -> str:
    """A figure with the thousands separator and decimal mark of the active language (the
    document's convention, as in the annex: ``base.format_number``)."""
    return format_number(value, places)


def quantity(value: Decimal) -> str:
    """A quota: whole numbers without decimals (20,000), others with two."""
    places = 0 if value == value.to_integral_value() else 2
    return amount(value, places)


def _party_names(context: ComposeContext) -> dict[int, str]:
    return {party.pk: party.localized_name for party in context.parties}


def _workplans(context: ComposeContext) -> dict:
    return context.workplans()


def _activities(context: ComposeContext) -> list:
    """The activities of the workplans in force on the as-of date, as recorded then, each with
    its workplan's Party (``party_id``)."""
    return context.activities()


def _results(context: ComposeContext) -> list:
    """The results accepted by the as-of date (``cases.selectors.accepted_results``)."""
    return context.results()


def _budget(context: ComposeContext):
    return context.memo("budget", lambda: selectors.budget_figures(context.party_ids, context.as_of))


def _timeframes(context: ComposeContext) -> list:
    return context.memo("timeframes", lambda: instrument_timeframes(context.party_ids, context.as_of))


def _accepted_updates(context: ComposeContext) -> list:
    """Progress updates accepted on or before the as-of date, with their Party's id."""

    def read():
        rows = []
        by_party = selectors.accepted_progress_updates_by_party(context.party_ids, context.as_of)
        for party_id in context.party_ids:
            for update in by_party[party_id]:
                update.party_id = party_id
                rows.append(update)
        return rows

    return context.memo("accepted_updates", read)


def _accepted_deliverables(context: ComposeContext) -> list:
    """Deliverables accepted by the as-of date (``reports.selectors.deliverables``)."""
    return context.deliverables()


def _counted(counts: Counter, labels: dict) -> list[str]:
    """ "Guidelines (3)", largest first; zero counts left out."""
    return [f"{labels.get(key, key)} ({n})" for key, n in counts.most_common() if n]


# --- Overall findings ----------------------------------------------------------------------------


@composer(K.FINDINGS)
def compose_findings(context: ComposeContext) -> Composition:
    parties = len(context.parties)
    results = len(_results(context))
    text = gettext(
        "Through monitoring of the CAP activities and compliance support in different Parties, the "
        "Secretariat has been collecting information on the added value of the CAP in supporting countries "
        "to address multidimensional compliance issues, as well as on the difficulties and challenges faced "
        "during its implementation."
    )
    basis = ngettext(
        "The findings below draw on the records of %(count)s beneficiary Party as of %(date)s",
        "The findings below draw on the records of %(count)s beneficiary Parties as of %(date)s",
        parties,
    ) % {"count": parties, "date": format_date(context.as_of)}
    if results:
        basis += ngettext(
            ", including %(count)s result accepted by the Secretariat.",
            ", including %(count)s results accepted by the Secretariat.",
            results,
        ) % {"count": results}
    else:
        basis += "."
    if not parties:
        basis = ""
    return Composition(paragraphs(text, basis), {"parties": parties, "results": results})


@composer(K.FINDING_SELECTION)
def compose_selection(context: ComposeContext) -> Composition:
    parties = len(context.parties)
    text = ngettext(
        "This report covers %(count)s beneficiary Party, identified through the Secretariat's selection "
        "process: a desk-based review of the Parties subject to multiple compliance processes, followed by "
        "direct contact and exchange of information with them.",
        "This report covers %(count)s beneficiary Parties, identified through the Secretariat's selection "
        "process: a desk-based review of the Parties subject to multiple compliance processes, followed by "
        "direct contact and exchange of information with them.",
        parties,
    ) % {"count": parties}
    cases, mechanisms, several = 0, set(), []
    for party in context.parties:
        open_cases = context.open_compliance_cases(party.pk)
        cases += len(open_cases)
        party_mechanisms = {case.mechanism_id for case in open_cases}
        mechanisms |= party_mechanisms
        if len(party_mechanisms) > 1:
            several.append(party.localized_name)
    sentences = [text]
    if cases:
        sentences.append(
            ngettext(
                "On %(date)s, the beneficiary Parties were subject to %(count)s open compliance case",
                "On %(date)s, the beneficiary Parties were subject to %(count)s open compliance cases",
                cases,
            )
            % {"date": format_date(context.as_of), "count": cases}
            + ngettext(
                " under %(count)s compliance mechanism or process.",
                " under %(count)s compliance mechanisms and processes.",
                len(mechanisms),
            )
            % {"count": len(mechanisms)}
        )
    if several:
        sentences.append(
            ngettext(
                "%(parties)s was subject to more than one of them.",
                "%(parties)s were subject to more than one of them.",
                len(several),
            )
            % {"parties": capfirst(names(several))}
        )
    figures = {"parties": parties, "open_cases": cases, "mechanisms": len(mechanisms), "several": several}
    return Composition(" ".join(sentences), figures)


def result_line(result) -> str:
    """One result cited as an example: the Party, what was achieved and the evidence, e.g.
    "Togo: the Animals Committee accepted an annual export quota … (Pandinus imperator; quota:
    20,000 specimens; AC33 SR)"."""
    title = result.title.strip()
    if title.endswith(".") and not title.endswith("spp."):
        title = title[:-1]
    if len(title) > 1 and title[0].isupper() and title[1].islower():
        title = title[0].lower() + title[1:]
    evidence = []
    if result.species and result.species not in title:
        evidence.append(result.species)
    if result.quota is not None:
        evidence.append(
            gettext("quota: %(quota)s %(unit)s")
            % {"quota": quantity(result.quota), "unit": result.quota_unit}
        )
    if result.progress_rating_id:
        rating = result.progress_rating
        evidence.append(
            gettext("rated “%(rating)s” at %(meeting)s")
            % {"rating": str(rating.get_rating_display()).lower(), "meeting": rating.meeting.code}
        )
    if result.document_reference:
        evidence.append(result.document_reference)
    if result.notification:
        evidence.append(gettext("Notification No. %(number)s") % {"number": result.notification})
    line = f"{result.cap_case.party.localized_name}: {title}"
    if evidence:
        line += f" ({'; '.join(evidence)})"
    return line if line.endswith(".") else line + "."


@composer(K.FINDING_IMPACT)
def compose_impact(context: ComposeContext) -> Composition:
    counts = context.memo(
        "recommendations",
        lambda: selectors.recommendation_counts(
            context.party_ids, context.as_of, rows=context.recommendations()
        ),
    )
    total = sum(sum(c.values()) for c in counts.values())
    implemented = sum(c.get(RecommendationStatus.IMPLEMENTED, 0) for c in counts.values())
    values = {"total": total, "implemented": implemented, "date": format_date(context.as_of)}
    if not total:
        text = gettext("No recommendation of the CITES bodies is recorded for the beneficiary Parties yet.")
    elif total == 1:
        if implemented:
            text = (
                gettext(
                    "The one recommendation of the CITES bodies recorded for the beneficiary Parties as of "
                    "%(date)s has been implemented."
                )
                % values
            )
        else:
            text = (
                gettext(
                    "The one recommendation of the CITES bodies recorded for the beneficiary Parties as of "
                    "%(date)s is still being addressed."
                )
                % values
            )
    elif implemented:
        text = (
            ngettext(
                "%(implemented)s of the %(total)s recommendations of the CITES bodies recorded for the "
                "beneficiary Parties as of %(date)s has been implemented.",
                "%(implemented)s of the %(total)s recommendations of the CITES bodies recorded for the "
                "beneficiary Parties as of %(date)s have been implemented.",
                implemented,
            )
            % values
        )
    else:
        text = (
            gettext(
                "None of the %(total)s recommendations of the CITES bodies recorded for the beneficiary "
                "Parties as of %(date)s has been implemented yet; they are being addressed."
            )
            % values
        )
    results = _results(context)
    examples = [result for result in results if result.is_example]
    parts = [text]
    if examples:
        parts.append(
            ngettext(
                "The following result, accepted by the Secretariat, illustrates the impact of the CAP:",
                "The following results, accepted by the Secretariat, illustrate the impact of the CAP:",
                len(examples),
            )
            + "\n\n"  # a list of its own (a), b)…), not run into the sentence
            + bullet_list([result_line(result) for result in examples])
        )
    others = len(results) - len(examples)
    if others:
        parts.append(
            ngettext(
                "%(count)s other result has been accepted.",
                "%(count)s other results have been accepted.",
                others,
            )
            % {"count": others}
        )
    figures = {
        "recommendations": total,
        "implemented": implemented,
        "results": len(results),
        "examples": [result.pk for result in examples],
    }
    return Composition(paragraphs(*parts), figures)


@composer(K.FINDING_OWNERSHIP)
def compose_ownership(context: ComposeContext) -> Composition:
    activities = _activities(context)
    parts = []
    figures: dict = {"activities": len(activities)}
    if activities:
        led = Counter(activity.responsible_entity for activity in activities)
        national = sum(
            led[entity]
            for entity in (
                ResponsibleEntity.MANAGEMENT_AUTHORITY,
                ResponsibleEntity.SCIENTIFIC_AUTHORITY,
                ResponsibleEntity.ENFORCEMENT,
            )
        )
        ma = led[ResponsibleEntity.MANAGEMENT_AUTHORITY]
        figures.update({"led_by_ma": ma, "led_nationally": national})
        if national:
            parts.append(
                ngettext(
                    "Of the %(total)s activity of the workplans in force, %(national)s is led by the "
                    "national authorities",
                    "Of the %(total)s activities of the workplans in force, %(national)s are led by the "
                    "national authorities",
                    len(activities),
                )
                % {"total": len(activities), "national": national}
                + (gettext(", %(count)s of them by the Management Authority.") % {"count": ma} if ma else ".")
            )
    updates = _accepted_updates(context)
    if updates:
        by_focal_point = sum(
            1
            for update in updates
            if update.submitted_by is not None
            and holds_role(update.submitted_by, PARTY_ROLES, update.party_id)
        )
        figures.update({"progress_updates": len(updates), "by_focal_points": by_focal_point})
        if by_focal_point:
            parts.append(
                (
                    gettext(
                        "The progress update accepted by %(date)s was submitted by the Party's focal point."
                    )
                    if len(updates) == 1
                    else ngettext(
                        "%(count)s of the %(total)s progress updates accepted by %(date)s was submitted by "
                        "the Parties' focal points.",
                        "%(count)s of the %(total)s progress updates accepted by %(date)s were submitted by "
                        "the Parties' focal points.",
                        by_focal_point,
                    )
                )
                % {"total": len(updates), "count": by_focal_point, "date": format_date(context.as_of)}
            )
        else:
            parts.append(
                ngettext(
                    "%(total)s progress update was accepted by %(date)s.",
                    "%(total)s progress updates were accepted by %(date)s.",
                    len(updates),
                )
                % {"total": len(updates), "date": format_date(context.as_of)}
            )
    if not parts:
        parts.append(gettext("No workplan in force is recorded for the beneficiary Parties yet."))
    return Composition(" ".join(parts), figures)


@composer(K.FINDING_SUSTAINABILITY)
def compose_sustainability(context: ComposeContext) -> Composition:
    parts = [
        gettext(
            "Institutional and legislative improvements and reforms have been core to the implementation "
            "plans, setting the ground for better compliance beyond the end of the projects."
        )
    ]
    activities = _activities(context)
    structural = [a for a in activities if a.area in ("institutional", "legislative", "information_systems")]
    if structural:
        parts.append(
            ngettext(
                "%(count)s of the activities of the workplans in force addresses institutional, legislative "
                "or information-system matters.",
                "%(count)s of the activities of the workplans in force address institutional, legislative "
                "or information-system matters.",
                len(structural),
            )
            % {"count": len(structural)}
        )
    deliverables = _accepted_deliverables(context)
    if deliverables:
        labels = {str(k): str(v) for k, v in Deliverable._meta.get_field("kind").choices}
        kinds = Counter(d.kind for d in deliverables)
        parts.append(
            ngettext(
                "%(count)s deliverable accepted by the Secretariat will be maintained and used beyond the "
                "projects: %(kinds)s.",
                "%(count)s deliverables accepted by the Secretariat will be maintained and used beyond the "
                "projects: %(kinds)s.",
                len(deliverables),
            )
            % {"count": len(deliverables), "kinds": join_list(_counted(kinds, labels))}
        )
    figures = {"structural_activities": len(structural), "deliverables": len(deliverables)}
    return Composition(" ".join(parts), figures)


@composer(K.FINDING_ADAPTABILITY)
def compose_adaptability(context: ComposeContext) -> Composition:
    parts = []
    species = sorted({r.species for r in _results(context) if r.species})
    if len(species) > 1:
        parts.append(
            gettext(
                "Processes supported by the CAP have been applied to several species, which reinforces the "
                "self-sustainability of the programme: %(count)s species so far (%(species)s)."
            )
            % {"count": len(species), "species": join_list(species)}
        )
    activities = _activities(context)
    parties_by_area: dict[str, set] = defaultdict(set)
    for activity in activities:
        parties_by_area[activity.area].add(activity.party_id)
    labels = {str(k): str(v) for k, v in Activity._meta.get_field("area").choices}
    shared = sorted(
        ((area, len(ids)) for area, ids in parties_by_area.items() if len(ids) > 1), key=lambda row: -row[1]
    )
    if shared:
        items = [
            ngettext("%(area)s (%(count)s Party)", "%(area)s (%(count)s Parties)", n)
            % {"area": labels.get(area, area), "count": n}
            for area, n in shared
        ]
        parts.append(
            ngettext(
                "One area of concern is addressed in the workplans of more than one Party, where experience "
                "can be shared: %(areas)s.",
                "%(count)s areas of concern are addressed in the workplans of more than one Party, where "
                "experience can be shared: %(areas)s.",
                len(shared),
            )
            % {"count": len(shared), "areas": join_list(items)}
        )
    if not parts:
        parts.append(
            gettext("No activity or result shared between beneficiary Parties is recorded as of %(date)s.")
            % {"date": format_date(context.as_of)}
        )
    return Composition(" ".join(parts), {"species": species, "shared_areas": dict(shared)})


@composer(K.FINDING_TIMEFRAMES)
def compose_timeframes(context: ComposeContext) -> Composition:
    rows = _timeframes(context)
    if not rows:
        return Composition(
            gettext("No legal instrument is recorded as signed by %(date)s.")
            % {"date": format_date(context.as_of)},
            {"instruments": 0},
        )
    parts = []
    by_period: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        if row.party.localized_name not in by_period[row.initial_months]:
            by_period[row.initial_months].append(row.party.localized_name)
    for months, parties in sorted(by_period.items()):
        parts.append(
            ngettext(
                "In %(parties)s, the legal instruments signed to operationalize the CAP had an initial "
                "implementation period of %(months)s month.",
                "In %(parties)s, the legal instruments signed to operationalize the CAP had an initial "
                "implementation period of %(months)s months.",
                months,
            )
            % {"parties": names(parties), "months": months}
        )
    extended = [row for row in rows if row.extensions]
    total_months = sum(row.extension_months for row in extended)
    if extended:
        each = [
            ngettext("%(party)s: %(months)s month", "%(party)s: %(months)s months", row.extension_months)
            % {"party": row.party.localized_name, "months": row.extension_months}
            for row in extended
        ]
        parts.append(
            ngettext(
                "%(count)s of the %(total)s legal instrument had to go through a no-cost extension",
                "%(count)s of the %(total)s legal instruments had to go through a no-cost extension",
                len(rows),
            )
            % {"count": len(extended), "total": len(rows)}
            + ngettext(
                ", adding %(months)s month in total (%(each)s).",
                ", adding %(months)s months in total (%(each)s).",
                total_months,
            )
            % {"months": total_months, "each": "; ".join(each)}
        )
    else:
        parts.append(
            ngettext(
                "The legal instrument has not needed a no-cost extension so far.",
                "None of the %(total)s legal instruments has needed a no-cost extension so far.",
                len(rows),
            )
            % {"total": len(rows)}
        )
    figures = {
        "instruments": len(rows),
        "initial_months": {str(months): parties for months, parties in sorted(by_period.items())},
        "extended": len(extended),
        "extension_months": total_months,
    }
    return Composition(" ".join(parts), figures)


@composer(K.FINDING_EXPECTATIONS)
def compose_expectations(context: ComposeContext) -> Composition:
    activities = _activities(context)
    if not activities:
        return Composition(
            gettext("No workplan in force is recorded for the beneficiary Parties yet."), {"activities": 0}
        )
    statuses = Counter(activity.status for activity in activities)
    completed = statuses[ActivityStatus.COMPLETED]
    late = [activity for party_id in _workplans(context) for activity in context.late_activities(party_id)]
    values = {"total": len(activities), "completed": completed, "date": format_date(context.as_of)}
    if completed:
        text = (
            ngettext(
                "The workplans in force planned %(total)s activity; %(completed)s had been completed by "
                "%(date)s.",
                "The workplans in force planned %(total)s activities; %(completed)s had been completed by "
                "%(date)s.",
                len(activities),
            )
            % values
        )
    else:
        text = (
            ngettext(
                "The workplans in force planned %(total)s activity, not yet completed on %(date)s.",
                "The workplans in force planned %(total)s activities, none of them completed by %(date)s.",
                len(activities),
            )
            % values
        )
    parts = [text]
    if late:
        parts.append(
            ngettext(
                "%(count)s activity was late: delayed, or past its planned end and not completed.",
                "%(count)s activities were late: delayed, or past their planned end and not completed.",
                len(late),
            )
            % {"count": len(late)}
        )
    corrective = sum(len(context.corrective_actions(party_id)) for party_id in _workplans(context))
    if corrective:
        parts.append(
            ngettext(
                "%(count)s corrective action was agreed to adjust the plans.",
                "%(count)s corrective actions were agreed to adjust the plans.",
                corrective,
            )
            % {"count": corrective}
        )
    figures = {
        "activities": len(activities),
        "completed": completed,
        "late": len(late),
        "corrective": corrective,
    }
    return Composition(" ".join(parts), figures)


NO_BUDGET = gettext_lazy(
    "No data recorded: funding agreements, disbursements and expenditure are not yet recorded in the portal."
)


@composer(K.FINDING_FINANCE)
def compose_finance(context: ComposeContext) -> Composition:
    rows = _timeframes(context)
    budget = _budget(context)
    if not rows and not budget:
        return Composition(str(NO_BUDGET), {"recorded": False})
    parts = []
    figures: dict = {"recorded": True, "instruments": len(rows)}
    if rows:
        with_ma = [
            row for row in rows if row.instrument.counterpart_kind == CounterpartKind.MANAGEMENT_AUTHORITY
        ]
        others = [
            row for row in rows if row.instrument.counterpart_kind != CounterpartKind.MANAGEMENT_AUTHORITY
        ]
        figures.update({"with_ma": len(with_ma), "other_counterparts": len(others)})
        if with_ma:
            parts.append(
                ngettext(
                    "%(count)s of the %(total)s legal instrument was signed with the Management Authority "
                    "of the Party.",
                    "%(count)s of the %(total)s legal instruments were signed with the Management "
                    "Authorities of the Parties.",
                    len(rows),
                )
                % {"count": len(with_ma), "total": len(rows)}
            )
        for row in others:
            parts.append(
                gettext("In %(party)s, the funds are disbursed to and managed by %(counterpart)s.")
                % {"party": named(row.party.localized_name), "counterpart": row.instrument.counterpart_name}
            )
    if budget:
        received = budget["programme"]["received"]
        if received:
            parts.append(
                gettext("Funds received by the beneficiary Parties as of %(date)s: %(currency)s %(amount)s.")
                % {
                    "date": format_date(context.as_of),
                    "currency": budget.get("currency", ""),
                    "amount": amount(received),
                }
            )
            figures["received"] = str(received)
        rows = {row["party_id"]: row for row in budget["parties"]}
        waiting = [  # in the report's order of Parties (selectors.report_parties)
            party.localized_name
            for party in context.parties
            if party.pk in rows and not rows[party.pk]["received"]
        ]
        if waiting:
            parts.append(
                gettext("%(parties)s had not received funds yet.") % {"parties": capfirst(names(waiting))}
            )
    return Composition(" ".join(parts) or str(NO_BUDGET), figures)


@composer(K.FINDING_ABSORPTION)
def compose_absorption(context: ComposeContext) -> Composition:
    budget = _budget(context)
    if not budget:
        return Composition(str(NO_BUDGET), {"recorded": False})
    rate = budget["programme"]["absorption"]  # budgets.selectors.absorption_rate, as on every page
    if rate is None:
        return Composition(gettext("No funds are recorded as received yet."), {"recorded": True})
    parts = [
        gettext("The beneficiary Parties had spent %(rate)s%% of the funds received as of %(date)s.")
        % {"rate": amount(rate, 1), "date": format_date(context.as_of)}
    ]
    rows = {row["party_id"]: row for row in budget["parties"]}
    per_party, figures_by_party = [], {}
    for party in context.parties:  # the report's order of Parties (selectors.report_parties)
        row = rows.get(party.pk)
        if row is None or row["absorption"] is None:
            continue
        name = party.localized_name
        per_party.append(f"{name} {amount(row['absorption'], 1)}%")
        figures_by_party[name] = str(row["absorption"])
    if per_party:
        parts.append(gettext("Per Party: %(list)s.") % {"list": "; ".join(per_party)})
    return Composition(
        " ".join(parts), {"recorded": True, "absorption": str(rate), "parties": figures_by_party}
    )


@composer(K.FINDING_GENDER)
def compose_gender(context: ComposeContext) -> Composition:
    by_party = context.participants()
    totals = {sex: sum(row[sex] for row in by_party.values()) for sex in ("female", "male", "other")}
    total = sum(totals.values())
    parts = []
    figures: dict = {"participants": totals}
    if total:
        share = round(100 * totals["female"] / total)
        figures["female_share"] = share
        pieces = []
        if totals["female"]:
            pieces.append(
                ngettext("%(count)s woman (%(share)s%%)", "%(count)s women (%(share)s%%)", totals["female"])
                % {"count": totals["female"], "share": share}
            )
        if totals["male"]:
            pieces.append(
                ngettext("%(count)s man", "%(count)s men", totals["male"]) % {"count": totals["male"]}
            )
        if totals["other"]:
            pieces.append(
                ngettext(
                    "%(count)s person whose sex was not recorded",
                    "%(count)s people whose sex was not recorded",
                    totals["other"],
                )
                % {"count": totals["other"]}
            )
        parts.append(
            ngettext(
                "CAP events held up to %(date)s brought together %(total)s participant: %(list)s.",
                "CAP events held up to %(date)s brought together %(total)s participants: %(list)s.",
                total,
            )
            % {"date": format_date(context.as_of), "total": total, "list": join_list(pieces)}
        )
    workplan_ids = [wp.pk for wp in _workplans(context).values()]
    by_sex = Indicator.objects.filter(workplan_id__in=workplan_ids, counts_people=True).aggregate(
        n=Count("pk")
    )["n"]
    figures["indicators_by_sex"] = by_sex
    if by_sex:
        parts.append(
            ngettext(
                "%(count)s indicator of the workplans in force counts people by sex.",
                "%(count)s indicators of the workplans in force count people by sex.",
                by_sex,
            )
            % {"count": by_sex}
        )
    if not parts:
        parts.append(
            gettext("No participants by sex are recorded for CAP events up to %(date)s.")
            % {"date": format_date(context.as_of)}
        )
    return Composition(" ".join(parts), figures)


@composer(K.FINDING_MANAGEMENT)
def compose_management(context: ComposeContext) -> Composition:
    missions = context.missions()
    parts = [
        gettext(
            "A dedicated programme management officer within the Secretariat provides focused compliance "
            "support to each of the CAP countries and monitors implementation."
        )
    ]
    if missions:
        places = join_list(sorted({mission.place for mission in missions}))
        parts.append(
            ngettext(
                "The Secretariat undertook %(count)s technical mission (%(places)s).",
                "The Secretariat undertook %(count)s technical missions (%(places)s).",
                len(missions),
            )
            % {"count": len(missions), "places": places}
        )
    updates = len(_accepted_updates(context))
    deliverables = len(_accepted_deliverables(context))
    results = len(_results(context))
    reviewed = []
    if updates:
        reviewed.append(
            ngettext("%(count)s progress update", "%(count)s progress updates", updates) % {"count": updates}
        )
    if deliverables:
        reviewed.append(
            ngettext("%(count)s deliverable", "%(count)s deliverables", deliverables)
            % {"count": deliverables}
        )
    if results:
        reviewed.append(ngettext("%(count)s result", "%(count)s results", results) % {"count": results})
    if reviewed:
        parts.append(
            gettext("By %(date)s, the Secretariat had reviewed and accepted %(list)s.")
            % {"date": format_date(context.as_of), "list": join_list(reviewed)}
        )
    figures = {
        "missions": len(missions),
        "updates": updates,
        "deliverables": deliverables,
        "results": results,
    }
    return Composition(" ".join(parts), figures)


@composer(K.COOPERATION)
def compose_cooperation(context: ComposeContext) -> Composition:
    rows = context.memo("partners", lambda: partners(context.party_ids))
    by_partner: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.kind == StakeholderKind.GOVERNMENT:
            continue  # the Party's own agencies are stakeholders, not partners
        if row.cap_case.party.localized_name not in by_partner[row.name]:
            by_partner[row.name].append(row.cap_case.party.localized_name)
    missions = context.missions()
    party_names = _party_names(context)
    for mission in missions:
        if mission.partners and mission.cap_case.party_id in party_names:
            party = party_names[mission.cap_case.party_id]
            if party not in by_partner[mission.partners]:
                by_partner[mission.partners].append(party)
    if not by_partner:
        return Composition(
            gettext("No partner is recorded in the in-country coordination of the beneficiary Parties yet."),
            {"partners": {}},
        )
    items = [
        gettext("%(partner)s (%(parties)s)") % {"partner": partner, "parties": names(parties)}
        for partner, parties in sorted(by_partner.items())
    ]
    text = ngettext(
        "The Secretariat cooperates with %(count)s partner in the implementation of the CAP: %(list)s.",
        "The Secretariat cooperates with %(count)s partners in the implementation of the CAP: %(list)s.",
        len(items),
    ) % {"count": len(items), "list": join_list(items)}
    return Composition(text, {"partners": dict(sorted(by_partner.items()))})


@composer(K.CONCLUSIONS)
def compose_conclusions(context: ComposeContext) -> Composition:
    donors = context.memo("donors", lambda: funding_donors(context.party_ids, context.as_of))
    donor_names = [donor.name for donor in donors]
    parts = []
    results = len(_results(context))
    if results:
        parts.append(
            ngettext(
                "The progress made so far in the CAP is promising: %(count)s result achieved by the "
                "beneficiary Parties has been accepted by the Secretariat as of %(date)s.",
                "The progress made so far in the CAP is promising: %(count)s results achieved by the "
                "beneficiary Parties have been accepted by the Secretariat as of %(date)s.",
                results,
            )
            % {"count": results, "date": format_date(context.as_of)}
        )
    if donor_names:
        parts.append(
            gettext(
                "The Secretariat wishes to express its appreciation to %(donors)s for the financial support "
                "that has made the implementation of the CAP possible to date."
            )
            % {"donors": names(donor_names)}
        )
    else:
        parts.append(
            gettext(
                "The Secretariat wishes to express its appreciation to the Parties that have provided "
                "financial and technical resources for its implementation to date."
            )
        )
    parts.append(
        gettext(
            "Renewed support to the programme is needed to continue to fill the gaps that still exist and "
            "meet the needs of eligible Parties."
        )
    )
    return Composition(" ".join(parts), {"donors": donor_names, "results": results})
