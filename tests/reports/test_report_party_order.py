"""A report lists its Parties in one order, the order of its language (as the portal's lists do,
``parties.names``): the Party sections, the Parties named on the cover and the annex tables'
rows. A French report puts "Égypte" among the E's, after "Allemagne" and before "Tchad"; an
English one puts "Chad" first. The sections were ordered by the English name and the rest by
the name's code points, so a French report had its Party sections in English order and
"Égypte" last in its annex tables."""

import pytest

from parties.models import Party
from parties.names import localized_name
from reports.snapshot import build_snapshot
from tests.workplans.factories import cap_case_for

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
