"""The file follows the settings (reporting organisation, sector, language, donors' identifiers)
and is offered where a case manager looks for it: the funding pages."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from iati.selectors import publication_scope
from iati.xml import activities_document

from .factories import AS_OF, funded_case

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_the_file_follows_the_settings(world, settings, iati_schema):
    from .conftest import assert_valid

    settings.IATI_REPORTING_ORG_REF = "XM-TEST-1"
    settings.IATI_REPORTING_ORG_NAME = "The Secretariat"
    settings.IATI_SECTOR_CODE = "41010"
    settings.IATI_DEFAULT_LANGUAGE = "fr"
    settings.IATI_ORGANISATION_REFS = {"EU": "XI-IATI-EU"}
    own = funded_case(world.own)
    user = world.users["case_manager"]
    content = activities_document(publication_scope(user=user, as_of=AS_OF), user=user)
    assert_valid(iati_schema, content)
    activity = ElementTree.fromstring(content).find("iati-activity")
    assert activity.get(XML_LANG) == "fr"
    assert activity.findtext("iati-identifier") == f"XM-TEST-1-CAP-TG-{own['cap_case'].pk}"
    reporting = activity.find("reporting-org")
    assert reporting.get("ref") == "XM-TEST-1" and reporting.findtext("narrative") == "The Secretariat"
    assert activity.find("sector").get("code") == "41010"
    funders = [o for o in activity.findall("participating-org") if o.get("role") == "1"]
    assert [(o.get("ref"), o.findtext("narrative")) for o in funders] == [("XI-IATI-EU", world.donor.name)]
    # The title is written in the file's language, whatever the request's.
    assert activity.find("title/narrative").text


def test_the_funding_pages_lead_to_the_file(world, client):
    """The funding page links to the IATI page; a CAP case's funding page to the case's file,
    for whoever may have it (not a donor observer, whose file is its donor's share)."""
    own = funded_case(world.own)
    client.force_login(world.users["case_manager"])
    assert reverse("iati:publication") in client.get(reverse("budgets:absorption")).content.decode()
    page = client.get(reverse("budgets:case_funding", args=[own["cap_case"].pk])).content.decode()
    link = f"{reverse('iati:activities')}?case={own['cap_case'].pk}"
    assert link in page
    assert client.get(link).status_code == 200
    client.force_login(world.users["donor_observer"])
    page = client.get(reverse("budgets:case_funding", args=[own["cap_case"].pk])).content.decode()
    assert link not in page
