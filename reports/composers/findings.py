"""Overall findings."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy, ngettext

from cases.choices import RecommendationStatus

from .. import selectors
from .base import (
    ComposeContext,
    Composition,
    K,
    composer,
    format_date,
)

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
