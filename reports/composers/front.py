"""Front matter: introduction, background, implementation."""

from __future__ import annotations

from django.utils.translation import gettext

from .. import selectors
from .base import (
    ComposeContext,
    Composition,
    K,
    composer,
    format_date,
    names,
    paragraphs,
)

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
    parties = [party.localized_name for party in context.parties]
    budget = context.memo("budget", lambda: selectors.budget_figures(context.party_ids, context.as_of))
    donors = [row["donor"] for row in budget["donors"]] if budget and budget.get("donors") else []
    if parties:
        support = gettext("The Secretariat is currently providing CAP support to %(parties)s.") % {
            "parties": names(parties)
        }
    else:
        support = gettext("No beneficiary Party is included in this report.")
    if donors:
        funding = gettext(
            "The implementation of the CAP was made possible thanks to the financial support of %(donors)s."
        ) % {"donors": names(donors)}
    else:
        funding = gettext("The donors of the CAP are not yet recorded in the portal.")
    as_of = gettext(
        "All information below is as of %(date)s and based on the latest updates provided by the Parties."
    ) % {"date": format_date(context.as_of)}
    return Composition(paragraphs(funding, support, as_of), {"parties": len(parties), "donors": donors})
