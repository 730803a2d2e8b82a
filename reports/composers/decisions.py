"""Recommendations and draft decisions."""

from __future__ import annotations

from django.utils.translation import gettext

from .base import (
    ComposeContext,
    Composition,
    K,
    bullet_list,
    composer,
    paragraphs,
)

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
