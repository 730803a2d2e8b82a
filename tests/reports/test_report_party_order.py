"""A report lists its Parties in one order, the order of its language (as the portal's lists do,
``parties.names``): the Party sections, the Parties named on the cover and the annex tables'
rows. A French report puts "Égypte" among the E's, after "Allemagne" and before "Tchad"; an
English one puts "Chad" first. The sections were ordered by the English name and the rest by
the name's code points, so a French report had its Party sections in English order and
"Égypte" last in its annex tables."""

import datetime
from decimal import Decimal

import pytest

from parties.models import Party
from parties.names import localized_name
from reports import services
from reports.choices import SectionKind
from reports.snapshot import build_snapshot
from tests.budgets import factories as ff
from tests.workplans.factories import cap_case_for, make_workplan
from workplans.choices import WorkplanStatus

from .conftest import make_report

pytestmark = [pytest.mark.django_db]

NAMES = {  # code: (English, French, Spanish)
    "EG": ("Egypt", "Égypte", "Egipto"),
    "DE": ("Germany", "Allemagne", "Alemania"),
    "TD": ("Chad", "Tchad", "Chad"),
}
ORDER = {
    "en": ["TD", "EG", "DE", "TG"],  # Chad, Egypt, Germany, Togo
    "fr": ["DE", "EG", "TD", "TG"],  # Allemagne, Égypte, Tchad, Togo
    "es": ["DE", "TD", "EG", "TG"],  # Alemania, Chad, Egipto, Togo
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_report_lists_its_parties_in_the_order_of_its_language(world, postgresql, language):
    parties = [world.own]
    for code, (name, name_fr, name_es) in NAMES.items():
        parties.append(
            Party.objects.create(code=code, name=name, name_fr=name_fr, name_es=name_es, region="africa")
        )
    for party in parties:
        cap_case_for(party)
    report = make_report(parties, user=world.users["case_manager"], language=language)
    snapshot = build_snapshot(report)

    by_code = {str(party.code): party for party in parties}
    in_sections = list(dict.fromkeys(s["party"] for s in snapshot["sections"] if s["party"]))
    assert in_sections == ORDER[language]
    named = [localized_name(by_code[code], language) for code in ORDER[language]]
    assert snapshot["report"]["parties"] == named
    for table in ("activities", "participants"):
        rows = [row["party"] for row in snapshot["annex"][table]["rows"]]
        assert rows == named, table


def test_the_funding_findings_name_the_parties_in_the_same_order(world, postgresql):
    """The findings on funds ("Per Party: …" absorption; "… had not received funds yet") follow
    the report's order too: in French, "Égypte" before "Tchad" (their own sort put "Tchad"
    first, by code points) and "Allemagne" before "Côte d'Ivoire" (English order put
    Côte d'Ivoire first)."""
    names = {**NAMES, "CI": ("Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire")}
    parties = {
        code: Party.objects.create(code=code, name=name, name_fr=name_fr, name_es=name_es, region="africa")
        for code, (name, name_fr, name_es) in names.items()
    }
    for code, party in parties.items():
        instrument = ff.make_instrument(party)
        if code in ("EG", "TD"):  # funds received and spent
            ff.make_installment(
                party, instrument=instrument, amount=Decimal("1000.00"), received_on=datetime.date(2024, 3, 1)
            )
            line = ff.make_line(party, workplan=make_workplan(party, status=WorkplanStatus.APPROVED))
            ff.ExpenditureFactory(budget_line=line, amount=Decimal("250.00"))
    report = make_report(
        parties.values(), user=world.users["case_manager"], language="fr", as_of=datetime.date(2024, 12, 1)
    )
    absorption = services.section_default(report.sections.get(kind=SectionKind.FINDING_ABSORPTION))
    assert "Égypte 25,0" in absorption and "Tchad 25,0" in absorption, absorption
    assert absorption.index("Égypte") < absorption.index("Tchad")
    finance = services.section_default(report.sections.get(kind=SectionKind.FINDING_FINANCE))
    assert "Allemagne" in finance and "Côte d'Ivoire" in finance, finance
    assert finance.index("Allemagne") < finance.index("Côte d'Ivoire")
