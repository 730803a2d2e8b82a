"""A Party is named as CITES and the UN name it in the reader's language ("République
démocratique populaire lao", not django-countries' "Laos"), and the grammar around the name
follows it: "Plan de travail du Togo", "de la Guinée", "del Reino Unido" (issue 14, point 8)."""

import csv
import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from cap_portal.concurrency import etag_for
from parties.models import Party
from parties.names import english_takes_the, of_name
from parties.services import LOCALIZED_NAME_COLUMNS, PARTIES_CSV, parties_load
from reports.composers.base import named

NAMES = {
    # code: {language: (name, "of" form)}
    "LA": {
        "en": ("Lao People's Democratic Republic", "the Lao People's Democratic Republic"),
        "fr": ("République démocratique populaire lao", "de la République démocratique populaire lao"),
        "es": ("República Democrática Popular Lao", "de la República Democrática Popular Lao"),
    },
    "GB": {
        "en": (
            "United Kingdom of Great Britain and Northern Ireland",
            "the United Kingdom of Great Britain and Northern Ireland",
        ),
        "fr": (
            "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
            "du Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        ),
        "es": (
            "Reino Unido de Gran Bretaña e Irlanda del Norte",
            "del Reino Unido de Gran Bretaña e Irlanda del Norte",
        ),
    },
    "PH": {
        "en": ("Philippines", "the Philippines"),
        "fr": ("Philippines", "des Philippines"),
        "es": ("Filipinas", "de Filipinas"),
    },
    "TG": {"en": ("Togo", "Togo"), "fr": ("Togo", "du Togo"), "es": ("Togo", "del Togo")},
    "GN": {"en": ("Guinea", "Guinea"), "fr": ("Guinée", "de la Guinée"), "es": ("Guinea", "de Guinea")},
    "AO": {"en": ("Angola", "Angola"), "fr": ("Angola", "de l'Angola"), "es": ("Angola", "de Angola")},
    "MG": {
        "en": ("Madagascar", "Madagascar"),
        "fr": ("Madagascar", "de Madagascar"),
        "es": ("Madagascar", "de Madagascar"),
    },
    "IL": {"en": ("Israel", "Israel"), "fr": ("Israël", "d'Israël"), "es": ("Israel", "de Israel")},
    "US": {
        "en": ("United States of America", "the United States of America"),
        "fr": ("États-Unis d'Amérique", "des États-Unis d'Amérique"),
        "es": ("Estados Unidos de América", "de los Estados Unidos de América"),
    },
    "TR": {"en": ("Türkiye", "Türkiye"), "fr": ("Türkiye", "de la Türkiye"), "es": ("Türkiye", "de Türkiye")},
    "CI": {
        "en": ("Côte d'Ivoire", "Côte d'Ivoire"),
        "fr": ("Côte d'Ivoire", "de la Côte d'Ivoire"),
        "es": ("Côte d'Ivoire", "de Côte d'Ivoire"),
    },
    "IR": {
        "en": ("Iran (Islamic Republic of)", "Iran (Islamic Republic of)"),
        "fr": ("Iran (République islamique d')", "de l'Iran (République islamique d')"),
        "es": ("Irán (República Islámica del)", "de Irán (República Islámica del)"),
    },
}
CASES = [(code, language) for code, by_language in NAMES.items() for language in by_language]


def _listed_parties() -> dict[str, Party]:
    """The Parties of the CITES list as the loader reads them (unsaved: the names need no database)."""
    with PARTIES_CSV.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Party(
                code=row["code"], name=row["name"], **{k: row[k] for k in LOCALIZED_NAME_COLUMNS}
            )
            for row in csv.DictReader(handle)
        }


LISTED = _listed_parties()


@pytest.fixture
def cites_parties(db):
    """Every Party of the CITES list, loaded as the operator loads it."""
    parties_load(path=PARTIES_CSV)
    return {str(party.code): party for party in Party.objects.all()}


def test_the_cites_list_names_every_party_in_french_and_spanish(cites_parties):
    """All 185 Parties of the list have a French and a Spanish name; the French and Spanish
    articles are among the known ones."""
    assert len(cites_parties) == 185
    assert not [code for code, party in cites_parties.items() if not (party.name_fr and party.name_es)]
    assert {party.article_fr for party in cites_parties.values()} == {"", "le", "la", "l'", "les"}
    assert {party.article_es for party in cites_parties.values()} == {"", "el", "la", "los", "las"}


@pytest.mark.parametrize("code, language", CASES)
def test_a_party_is_named_in_the_active_language(code, language):
    """``str()``, ``localized_name`` and ``of_name`` follow the active language."""
    party = LISTED[code]
    name, of_form = NAMES[code][language]
    with translation.override(language):
        assert str(party) == party.localized_name == name
        assert party.of_name == of_form
    assert of_name(party, language) == of_form


def test_a_party_without_a_name_in_the_language_falls_back_to_english(world):
    """A Party entered without French or Spanish names is shown by its English name, and "of"
    still reads as French or Spanish."""
    with translation.override("fr"):
        assert str(world.other) == "Nigeria"
        assert world.other.of_name == "de Nigeria"
    with translation.override("es"):
        assert world.other.of_name == "de Nigeria"


@pytest.mark.parametrize(
    "name, takes_the",
    [
        ("Philippines", True),
        ("European Union", True),
        ("United Arab Emirates", True),
        ("Niger", True),
        ("Nigeria", False),
        ("State of Palestine", True),
        ("Iran (Islamic Republic of)", False),
        ("Venezuela (Bolivarian Republic of)", False),
        ("Togo", False),
        ("the Philippines", False),
    ],
)
def test_english_names_take_the_as_the_un_writes_them(name, takes_the):
    """The reports' ``named()`` and ``Party.of_name`` share one rule; it no longer writes "the Iran
    (Islamic Republic of)" nor misses "the Niger" and "the United Arab Emirates"."""
    assert english_takes_the(name) is takes_the
    assert named(name) == (f"the {name}" if takes_the else name)


def test_lists_and_choices_show_the_party_in_the_readers_language(world, client):
    """The Party list and a Party's page name the Party in the reader's language; the list is
    searchable by the French name."""
    Party.objects.filter(pk=world.other.pk).update(name_fr="Nigéria", article_fr="le", name_es="Nigeria")
    client.force_login(world.users["case_manager"])
    page = client.get(reverse("parties:party_list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Nigéria" in page
    page = client.get(
        reverse("parties:party_list"), {"q": "Nigéria"}, HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert "Nigéria" in page and "Togo</a>" not in page
    page = client.get(world.other.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<title>Nigéria" in page


def _french_togo(world):
    Party.objects.filter(pk=world.own.pk).update(
        name_fr="Togo", article_fr="le", name_es="Togo", article_es="el"
    )
    world.own.refresh_from_db()


def test_a_french_workplan_page_says_du_togo(world, client):
    """The workplan's title puts the Party after "of" with French grammar: "… du Togo", never
    "de Togo" (the catalogue's "Plan de travail de %(party)s" gave "Plan de travail de Togo")."""
    from cases.models import CapCase
    from workplans.models import Workplan

    _french_togo(world)
    cap_case = CapCase.objects.create(party=world.own, stage="in_implementation")
    workplan = Workplan.objects.create(
        cap_case=cap_case,
        title="Togo CAP workplan",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    with translation.override("fr"):
        assert "du Togo" in str(workplan)
        assert "du Togo" in str(cap_case)
    client.force_login(world.users["case_manager"])
    for url in (workplan.get_absolute_url(), reverse("budgets:case_funding", args=[cap_case.pk])):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        title = page.split("<title>", 1)[1].split("</title>", 1)[0]
        assert "du Togo" in title, title
        assert "de Togo" not in title, title
    with translation.override("es"):
        assert "del Togo" in str(workplan)
    with translation.override("en"):
        assert str(workplan) == "Workplan of Togo, version 1"


def test_case_managers_write_the_names_through_the_api(world, api_client):
    """The API shows and takes the French and Spanish names and articles."""
    api_client.force_authenticate(world.users["case_manager"])
    url = reverse("api:party-detail", kwargs={"code": "NG"})
    response = api_client.patch(
        url,
        {"name_fr": "Nigéria", "article_fr": "le", "name_es": "Nigeria"},
        format="json",
        HTTP_IF_MATCH=etag_for(world.other),
    )
    assert response.status_code == 200, response.content
    assert response.json()["name_fr"] == "Nigéria"
    assert response.json()["article_fr"] == "le"
    world.other.refresh_from_db()
    response = api_client.patch(url, {"article_fr": "du"}, format="json", HTTP_IF_MATCH=etag_for(world.other))
    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == ["article_fr"]


def test_the_party_form_takes_the_names(world, client):
    """A case manager enters the French and Spanish names on the Party form."""
    client.force_login(world.users["case_manager"])
    url = reverse("parties:party_edit", kwargs={"code": "NG"})
    page = client.get(url).content.decode()
    assert 'name="name_fr"' in page and 'name="article_es"' in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_data_migration_names_the_parties_already_recorded():
    """Parties recorded before the names existed are named by their code when migrating; a code
    the list does not know keeps blank names (shown in English)."""
    before = [("parties", "0005_party_names_in_french_and_spanish")]
    after = [("parties", "0006_name_parties_in_french_and_spanish")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    OldParty = executor.loader.project_state(before).apps.get_model("parties", "Party")
    OldParty.objects.create(code="LA", name="Lao People's Democratic Republic", region="asia")
    OldParty.objects.create(
        code="GB", name="United Kingdom of Great Britain and Northern Ireland", region="europe"
    )
    OldParty.objects.create(code="XK", name="Somewhere", region="europe")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    laos = Party.objects.get(code="LA")
    assert (laos.name_fr, laos.article_fr) == ("République démocratique populaire lao", "la")
    assert (laos.name_es, laos.article_es) == ("República Democrática Popular Lao", "la")
    uk = Party.objects.get(code="GB")
    with translation.override("es"):
        assert uk.of_name == "del Reino Unido de Gran Bretaña e Irlanda del Norte"
    unknown = Party.objects.get(code="XK")
    assert (unknown.name_fr, unknown.name_es) == ("", "")
    with translation.override("fr"):
        assert str(unknown) == "Somewhere"


def test_the_migration_names_are_the_lists():
    """The names the data migration gives are those of the CITES list it was written from."""
    import importlib

    migration = importlib.import_module("parties.migrations.0006_name_parties_in_french_and_spanish")
    assert migration.NAMES == {
        code: (party.name_fr, party.article_fr, party.name_es, party.article_es)
        for code, party in LISTED.items()
    }
