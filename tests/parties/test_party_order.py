"""Parties are listed in the order of the reader's language (issue 14, point 12): a French
reader finds "Allemagne" under A and "Guinée" before "Tchad", on the Party list, in the Party
filter's choices and in the dashboard's rows; one helper orders them all
(``Party.objects.order_by_localized_name()``, ``parties.names.localized_name_order``)."""

import datetime
import re
from operator import attrgetter

import pytest
from django.urls import reverse
from django.utils import translation

from cases.filtersets import CapCaseFilterSet
from cases.models import CapCase, ComplianceCase, Result
from parties.models import Party
from parties.names import in_readers_order
from tests.budgets.factories import make_instrument
from tests.cases.factories import ComplianceCaseFactory
from tests.workplans.factories import cap_case_for, make_recommendation, make_workplan

# code: (English, French, Spanish). Togo and Nigeria come from the world (English name only).
NAMES = {
    "CI": ("Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire"),
    "GN": ("Guinea", "Guinée", "Guinea"),
    "DE": ("Germany", "Allemagne", "Alemania"),
    "TD": ("Chad", "Tchad", "Chad"),
}

# Orders that differ by language; the same under PostgreSQL's ICU collations and under SQLite.
ORDER = {
    "en": ["TD", "CI", "DE", "GN", "NG", "TG"],  # Chad, Côte d'Ivoire, Germany, Guinea, Nigeria, Togo
    "fr": ["DE", "CI", "GN", "NG", "TD", "TG"],  # Allemagne, Côte d'Ivoire, Guinée, Nigeria, Tchad, Togo
    "es": ["DE", "TD", "CI", "GN", "NG", "TG"],  # Alemania, Chad, Côte d'Ivoire, Guinea, Nigeria, Togo
}


@pytest.fixture
def parties(world):
    for code, (name, name_fr, name_es) in NAMES.items():
        Party.objects.create(code=code, name=name, name_fr=name_fr, name_es=name_es, region="africa")
    return world


def codes(queryset):
    return [str(code) for code in queryset.values_list("code", flat=True)]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_parties_are_ordered_by_their_name_in_the_active_language(parties, language):
    """The order follows the active language; a Party with no name in it sorts by its English
    name (Nigeria, Togo), as it is shown."""
    with translation.override(language):
        assert codes(Party.objects.order_by_localized_name()) == ORDER[language]
    assert codes(Party.objects.order_by_localized_name(language)) == ORDER[language]


def test_accents_sort_as_the_language_sorts_them(parties, postgresql):
    """On PostgreSQL, the language's collation: "Égypte" among the E's in French (the database's
    C collation put it after "Tchad" and "Togo"), "Côte d'Ivoire" before "Cuba"."""
    Party.objects.create(code="EG", name="Egypt", name_fr="Égypte", name_es="Egipto", region="africa")
    Party.objects.create(code="CU", name="Cuba", name_fr="Cuba", name_es="Cuba", region="latin_america")
    with translation.override("fr"):
        assert codes(Party.objects.order_by_localized_name()) == [
            *["DE", "CI", "CU", "EG", "GN", "NG", "TD", "TG"],
        ]
    with translation.override("en"):
        assert codes(Party.objects.order_by_localized_name())[:4] == ["TD", "CI", "CU", "EG"]


def test_the_party_list_page_is_in_the_readers_order(parties, client):
    client.force_login(parties.users["case_manager"])
    page = client.get(reverse("parties:party_list"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    shown = re.findall(r'href="/parties/([A-Z]{2})/"', page)
    assert list(dict.fromkeys(shown)) == ORDER["fr"]


def test_the_party_filter_offers_its_choices_in_the_readers_order(parties, rf):
    """The filter's choices are ordered per request, in that request's language, and the select
    is marked for the type-ahead widget."""
    request = rf.get("/")
    request.user = parties.users["case_manager"]
    for language in ("fr", "es"):
        with translation.override(language):
            field = CapCaseFilterSet({}, request=request).form.fields["party"]
            assert [str(value) for value, _label in field.choices] == ORDER[language]
    assert field.widget.attrs["data-searchable"] is True


def test_the_dashboard_rows_and_party_filter_follow_the_readers_language(parties, client):
    """The dashboard's rows (one per CAP case) and its Party filter are in French order for a
    French reader; the Party select carries ``data-searchable``."""
    for code in ("TG", "GN", "DE", "TD"):
        CapCase.objects.create(party=Party.objects.get(code=code), stage="in_implementation")
    client.force_login(parties.users["case_manager"])
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert re.findall(r'<tr data-party="([A-Z]{2})"', page) == ["DE", "GN", "TD", "TG"]
    select = re.search(r'<select name="party"[^>]*>(.*?)</select>', page, re.S)
    assert "data-searchable" in select.group(0)
    assert re.findall(r'<option value="([A-Z]{2})"', select.group(1)) == ORDER["fr"]


# The UI lists whose rows are ordered by their Party (the model's ordering starts with the Party's
# name): how to make a row for a Party, and the path from a row to its Party.
PARTY_LISTS = {
    "cases:capcase_list": (lambda party: cap_case_for(party), "party"),
    "cases:compliancecase_list": (lambda party: ComplianceCaseFactory(party=party), "party"),
    "cases:recommendation_list": (lambda party: make_recommendation(party), "party"),
    "cases:result_list": (
        lambda party: Result.objects.create(
            cap_case=cap_case_for(party), title="Quota accepted", achieved_on=datetime.date(2024, 7, 19)
        ),
        "cap_case.party",
    ),
    "workplans:workplan_list": (lambda party: make_workplan(party), "cap_case.party"),
    "budgets:instrument_list": (lambda party: make_instrument(party), "cap_case.party"),
}


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("url_name", PARTY_LISTS)
def test_the_lists_ordered_by_party_are_in_the_readers_order(parties, client, url_name, language):
    """A list whose rows follow their Party (CAP cases, compliance cases, recommendations,
    results, workplans, agreements) is in the reader's order, as the Party list is: a French
    reader finds Germany's rows under A ("Allemagne"), before Côte d'Ivoire's. The export keeps
    the page's order."""
    make, path = PARTY_LISTS[url_name]
    for code in ("TG", "GN", "DE", "TD", "CI"):
        make(Party.objects.get(code=code))
    client.force_login(parties.users["case_manager"])
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    rows = list(response.context["object_list"])
    shown = list(dict.fromkeys(str(attrgetter(path)(row).code) for row in rows))
    assert shown == [code for code in ORDER[language] if code in shown]
    assert set(shown) == {"TG", "GN", "DE", "TD", "CI"}


def test_only_the_party_names_of_an_ordering_are_replaced(parties):
    """``-party__name`` becomes the reader's name, descending; another relation's name
    (``mechanism__name``) and the other keys stay as they are."""
    for code in ("TG", "GN", "DE", "TD", "CI"):
        ComplianceCaseFactory(party=Party.objects.get(code=code))
    queryset = ComplianceCase.objects.order_by("-party__name", "mechanism__name", "species")
    with translation.override("fr"):
        ordered = in_readers_order(queryset)
        order_by = ordered.query.order_by
        assert order_by[1:] == ("mechanism__name", "species")
        assert order_by[0].descending
        assert [str(case.party.code) for case in ordered] == ["TG", "TD", "GN", "CI", "DE"]
    assert in_readers_order(ComplianceCase.objects.order_by("species")).query.order_by == ("species",)
