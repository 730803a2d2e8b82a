"""Who gets which IATI file, in the browser and through the API: the Secretariat every scope; a
donor observer its donor's share only (another donor's or the whole portfolio: 403); a focal
point its own Party's CAP case only (another Party's: 404; the portfolio or a donor's: 403)."""

import pytest
from django.urls import reverse

from .factories import AS_OF, funded_case

pytestmark = pytest.mark.django_db

ROLES = ["case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"]

# scope → expected status per role, in the order of ROLES.
EXPECTED = {
    "portfolio": (200, 200, 403, 403, 403),
    "own donor": (200, 200, 403, 403, 200),
    "other donor": (200, 200, 403, 403, 403),
    "own case": (200, 200, 200, 200, 404),
    "other case": (200, 200, 404, 404, 404),
    "own donor, own case": (200, 200, 403, 403, 200),
    "own donor, other case": (404, 404, 403, 403, 404),
}


def _query(world, scope: str, cases) -> dict:
    query = {"as_of": AS_OF.isoformat()}
    if "own donor" in scope:
        query["donor"] = world.donor.pk
    if "other donor" in scope:
        query["donor"] = world.other_donor.pk
    if "own case" in scope:
        query["case"] = cases["own"].pk
    if "other case" in scope:
        query["case"] = cases["other"].pk
    return query


@pytest.fixture
def cases(world):
    return {"own": funded_case(world.own)["cap_case"], "other": funded_case(world.other)["cap_case"]}


@pytest.mark.parametrize("surface", ["ui", "api"])
@pytest.mark.parametrize("scope", list(EXPECTED))
def test_each_role_gets_the_scopes_it_may(world, cases, client, scope, surface):
    """Every role × every scope × browser and API: the answer the access rule gives."""
    url = reverse("iati:activities") if surface == "ui" else reverse("api:iati-activities-list")
    query = _query(world, scope, cases)
    for role, expected in zip(ROLES, EXPECTED[scope], strict=True):
        client.force_login(world.users[role])
        response = client.get(url, query)
        assert response.status_code == expected, (role, scope, surface, response.content[:200])
        if expected == 200:
            assert response["Content-Type"] == "application/xml"
            assert response.content.startswith(b"<?xml")


def test_anonymous_is_sent_to_sign_in_or_refused(world, cases, client):
    """No file without signing in: the page redirects to sign in, the API answers 401."""
    page = client.get(reverse("iati:activities"))
    assert page.status_code == 302 and "/login/" in page["Location"]
    assert client.get(reverse("api:iati-activities-list")).status_code == 401


def test_a_donor_share_holds_only_that_donor(world, cases, client):
    """The donor observer's file names its donor as the only funder, and the other Party's case
    (funded by another donor) is absent."""
    client.force_login(world.users["donor_observer"])
    response = client.get(reverse("iati:activities"), {"donor": world.donor.pk, "as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    assert b'<recipient-country code="TG"' in response.content
    assert b"NG" not in response.content
    assert world.other_donor.name.encode() not in response.content


@pytest.mark.parametrize("surface", ["ui", "api"])
def test_a_bad_query_names_the_field(world, cases, client, surface):
    """A malformed date or id answers 400 naming the field, nothing else."""
    url = reverse("iati:activities") if surface == "ui" else reverse("api:iati-activities-list")
    client.force_login(world.users["case_manager"])
    response = client.get(url, {"as_of": "30/06/2025"})
    assert response.status_code == 400
    assert b"as_of" in response.content
    response = client.get(url, {"case": "togo"})
    assert response.status_code == 400 and b"case" in response.content


def test_the_publication_page_offers_each_role_its_files(world, cases, client):
    """The page offers the portfolio to the Secretariat, the donor's share to its observer, the
    own Party's case to a focal point, and the exclusions to the Secretariat only."""
    url = reverse("iati:publication")
    client.force_login(world.users["case_manager"])
    page = client.get(url).content.decode()
    assert "The whole portfolio" in page and "Keep a record out of publication" in page
    client.force_login(world.users["secretariat_viewer"])
    page = client.get(url).content.decode()
    assert "Kept out of publication" in page and "Keep a record out of publication" not in page
    client.force_login(world.users["donor_observer"])
    page = client.get(url).content.decode()
    assert world.donor.name in page and world.other_donor.name not in page
    assert "The whole portfolio" not in page and "Kept out of publication" not in page
    client.force_login(world.users["ma_focal_point"])
    page = client.get(url).content.decode()
    assert "Togo" in page and "Nigeria" not in page and "The whole portfolio" not in page
