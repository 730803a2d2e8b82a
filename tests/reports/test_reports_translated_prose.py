"""The composed report in French and Spanish: every sentence a composer writes comes out in the
report's language, meeting ordinals included ("19e session", "19ª reunión", never "19th",
"19º reunión" or Django humanize's "19<sup>e</sup>")."""

import pytest

from decisions import sample
from reports.choices import SectionKind
from reports.snapshot import build_snapshot

from .conftest import make_report

pytestmark = pytest.mark.django_db


def _text(snapshot, kind) -> str:
    blocks = next(s for s in snapshot["sections"] if s["kind"] == kind)["blocks"]
    items = [item.get("text", "") for b in blocks for item in b.get("items", [])]
    return "\n".join([b.get("text", "") for b in blocks] + items)


@pytest.mark.parametrize(
    "language, lead_in, recommendation",
    [
        (
            "fr",
            "À sa 19e session (CoP19 ; Panama City, 2022), la Conférence des Parties a adopté les "
            "décisions 19.44 à 19.46",
            "pour examen à sa 20e session",
        ),
        (
            "es",
            "En su 19ª reunión (CoP19; Panama City, 2022), la Conferencia de las Partes adoptó las "
            "Decisiones 19.44 a 19.46",
            "para su consideración en su 20ª reunión",
        ),
    ],
)
def test_the_decisions_and_recommendations_speak_the_report_language(
    world, language, lead_in, recommendation
):
    report = make_report([world.own, world.other], user=world.users["case_manager"], language=language)
    sample.load()
    snapshot = build_snapshot(report)

    # The decisions quoted are the register's (English) text; the lead-in is the composer's.
    decisions = next(s for s in snapshot["sections"] if s["kind"] == SectionKind.DECISIONS)["blocks"]
    composed = decisions[0]["text"] + "\n" + _text(snapshot, SectionKind.RECOMMENDATIONS)
    assert lead_in in composed
    assert recommendation in composed
    for english in ("At its", "meeting", "adopted", "19th", "20th", "<sup>", "º"):
        assert english not in composed
