import pytest
from django.urls import reverse

from parties.models import Authority, Contact, Donor, Party
from tests.factories import AuthorityFactory, ContactFactory, PartyAsObject
from tests.mixins import APIViewTestCases

pytestmark = pytest.mark.django_db


class TestPartyAPI(PartyAsObject, APIViewTestCases.CRUD):
    model = Party
    basename = "party"
    lookup_field = "code"

    def create_payload(self, party):
        return {"code": "FR", "name": "France", "region": "europe", "language": "fr"}

    def update_payload(self):
        return {"name": "Renamed Party"}


class TestAuthorityAPI(APIViewTestCases.CRUD):
    model = Authority
    basename = "authority"

    def make_object(self, party):
        return AuthorityFactory(party=party)

    def create_payload(self, party):
        return {"party": str(party.code), "kind": "scientific", "name": "National Herbarium"}

    def update_payload(self):
        return {"name": "Renamed Authority"}


class TestContactAPI(APIViewTestCases.CRUD):
    model = Contact
    basename = "contact"

    def make_object(self, party):
        return ContactFactory(party=party)

    def create_payload(self, party):
        return {"party": str(party.code), "name": "Ama Kpodo", "email": "ama@example.org"}

    def update_payload(self):
        return {"position": "Head of unit"}


class TestDonorAPI(APIViewTestCases.CRUD):
    """Donors are public reference data; for them "own" and "other" are just two donors."""

    model = Donor
    basename = "donor"

    def make_object(self, party):
        return Donor.objects.create(name=f"Donor of {party.name} {Donor.objects.count()}", party=party)

    def create_payload(self, party):
        return {"name": "Japan", "short_name": "JP"}

    def update_payload(self):
        return {"short_name": "NEW"}


# --- Bad input and specifics -----------------------------------------------------------------


def test_party_is_looked_up_by_iso_code(world, api_client):
    """GET /api/v1/parties/TG/ returns Togo; lower case works too; an unknown code is 404."""
    api_client.force_authenticate(world.users["donor_observer"])
    assert api_client.get("/api/v1/parties/TG/").json()["name"] == "Togo"
    assert api_client.get("/api/v1/parties/tg/").json()["code"] == "TG"
    response = api_client.get("/api/v1/parties/ZZ/")
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


def test_duplicate_party_is_400_naming_the_field(world, api_client):
    """Creating a Party whose code exists already answers 400 on 'code' and writes nothing."""
    api_client.force_authenticate(world.users["case_manager"])
    response = api_client.post(
        reverse("api:party-list"), {"code": "TG", "name": "Togo again", "region": "africa"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert [e["attr"] for e in body["errors"]] == ["code"]
    assert Party.objects.filter(code="TG").count() == 1


def test_invalid_iso_code_and_region_are_field_errors(world, api_client):
    api_client.force_authenticate(world.users["case_manager"])
    response = api_client.post(reverse("api:party-list"), {"code": "XX", "name": "Nowhere", "region": "mars"})
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"code", "region"}
    assert not Party.objects.filter(name="Nowhere").exists()


def test_focal_point_cannot_move_own_record_to_another_party(world, api_client):
    """An MA focal point may edit its own Party's contact but not re-assign it to another Party."""
    contact = ContactFactory(party=world.own)
    api_client.force_authenticate(world.users["ma_focal_point"])
    response = api_client.patch(f"/api/v1/contacts/{contact.pk}/", {"party": "NG"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "party"
    contact.refresh_from_db()
    assert contact.party == world.own


def test_contact_authority_must_belong_to_same_party(world, api_client):
    """A contact linked to an authority of another Party is refused on the 'authority' field."""
    foreign = AuthorityFactory(party=world.other)
    api_client.force_authenticate(world.users["case_manager"])
    response = api_client.post(
        "/api/v1/contacts/", {"party": "TG", "name": "X", "authority": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "authority"
    assert not Contact.objects.filter(name="X").exists()


def test_focal_point_cannot_link_another_partys_authority(world, api_client):
    """Related-object choices are restricted: another Party's authority does not exist for a focal point."""
    foreign = AuthorityFactory(party=world.other)
    api_client.force_authenticate(world.users["ma_focal_point"])
    response = api_client.post(
        "/api/v1/contacts/", {"party": "TG", "name": "Y", "authority": foreign.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "authority"
    assert not Contact.objects.filter(name="Y").exists()


def test_party_filters_are_shared_with_the_ui(world, api_client):
    """region, flags and free text filter the API list (the same FilterSet serves the UI)."""
    Party.objects.create(code="FJ", name="Fiji", region="oceania", is_sids=True)
    api_client.force_authenticate(world.users["ma_focal_point"])
    codes = lambda **q: {r["code"] for r in api_client.get("/api/v1/parties/", q).json()["results"]}  # noqa: E731
    assert codes(region="oceania") == {"FJ"}
    assert codes(is_sids="true") == {"FJ"}
    assert codes(is_ldc="true") == {"TG"}
    assert codes(q="niger") == {"NG"}
    assert codes(q="tg") == {"TG"}
    assert codes(region=["africa", "oceania"]) == {"TG", "NG", "FJ"}


def test_token_authentication(world, api_client):
    """The API accepts a token obtained with username and password."""
    from parties.services import user_create

    user_create(username="tokenuser", password="s3cret-pass")
    response = api_client.post("/api/v1/auth/token/", {"username": "tokenuser", "password": "s3cret-pass"})
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/parties/").status_code == 200


def test_me_lists_roles(world, api_client):
    api_client.force_authenticate(world.users["ma_focal_point"])
    body = api_client.get("/api/v1/me/").json()
    assert body["roles"] == [{"role": "ma_focal_point", "party": "TG", "donor": None}]
    api_client.force_authenticate(world.users["donor_observer"])
    body = api_client.get("/api/v1/me/").json()
    assert body["roles"] == [{"role": "donor_observer", "party": None, "donor": "European Union"}]
