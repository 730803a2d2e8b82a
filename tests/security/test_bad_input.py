"""Regression tests for what fuzzing found or could find: hostile input gets a clear 4xx, never
a server error, and nothing is written."""

import pytest

from parties.models import Contact, Donor, Party
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cm(world, api_client):
    api_client.force_login(world.users["case_manager"])
    return api_client


def test_nul_bytes_are_400_naming_the_field(cm):
    assert cm.get("/api/v1/parties/", {"q": "to\x00go"}).json()["errors"][0]["attr"] == "q"
    response = cm.post("/api/v1/contacts/", {"party": "TG", "name": "Ama\x00"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "name"
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/contacts/99999999999999999999999999/",
        "/api/v1/contacts/-1/",
        "/api/v1/parties/ZZZ/",
        "/api/v1/parties/1/",
    ],
)
def test_huge_or_malformed_ids_are_404(cm, path):
    assert cm.get(path).status_code == 404
    assert cm.patch(path, {"name": "x"}, format="json").status_code == 404


@pytest.mark.parametrize(
    "params, status",
    [
        # Lists page by cursor (issue 15): a cursor that is not one the API gave is a 400 naming
        # it; the former page numbers are no parameter any more.
        ({"cursor": "abc"}, 400),
        ({"cursor": "eyJyIjowLCJ2IjpbMV19"}, 400),  # {"r":0,"v":[1]}: a key short
        ({"cursor": "eyJyIjowLCJ2IjpbIlx1MDAwMCIsInh4Il19"}, 400),  # a NUL byte
        ({"count": "maybe"}, 400),
        ({"page": "abc"}, 200),
        # A page size that is not a positive whole number is a 400 naming it (issue 21); a larger
        # one than the maximum gives the maximum.
        ({"page_size": "-5"}, 400),
        ({"page_size": "abc"}, 400),
        ({"page_size": "100000000000000000000"}, 200),
    ],
)
def test_page_numbers_and_sizes(cm, params, status):
    response = cm.get("/api/v1/parties/", params)
    assert response.status_code == status
    if status == 200:
        assert len(response.json()["results"]) <= 500
    if status == 400:
        assert [error["attr"] for error in response.json()["errors"]] == [next(iter(params))]


def test_empty_and_null_bodies(cm):
    empty = cm.post("/api/v1/contacts/", {}, format="json")
    assert empty.status_code == 400
    assert {e["attr"] for e in empty.json()["errors"]} == {"party", "name"}
    null = cm.post("/api/v1/contacts/", "null", content_type="application/json")
    assert null.status_code == 400
    broken = cm.post("/api/v1/contacts/", "{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json()["errors"][0]["code"] == "parse_error"
    assert not Contact.objects.exists()


def test_wrong_content_type_is_415(cm):
    response = cm.post("/api/v1/contacts/", "<xml/>", content_type="application/xml")
    assert response.status_code == 415


def test_oversized_values_are_field_errors(cm):
    response = cm.post("/api/v1/contacts/", {"party": "TG", "name": "x" * 5000}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "name"
    assert not Contact.objects.exists()


def test_deleting_a_record_others_depend_on_is_409(world, cm):
    """A Party that a donor refers to cannot be deleted: 409 naming what depends on it."""
    Donor.objects.create(name="Togo's fund", party=world.own)
    response = cm.delete("/api/v1/parties/TG/", HTTP_IF_MATCH=cm.get("/api/v1/parties/TG/")["ETag"])
    assert response.status_code == 409
    assert "donors" in response.json()["errors"][0]["detail"]
    assert Party.objects.filter(code="TG").exists()


def test_unique_party_code_is_documented_and_reported(cm):
    response = cm.post("/api/v1/parties/", {"code": "tg", "name": "Other Togo", "region": "africa"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "unique", "detail": "A Party with this ISO code exists already.", "attr": "code"}
    ]


def test_history_of_a_contact_never_leaks_to_another_party(world, api_client):
    other = ContactFactory(party=world.other)
    api_client.force_login(world.users["sa_focal_point"])
    assert api_client.get(f"/api/v1/contacts/{other.pk}/history/").status_code == 404


def test_absurd_year_filter_is_400_not_500(cm):
    """Found by fuzzing: a year of -5.8e110 reached the database (500); now a 400 on the filter."""
    response = cm.get("/api/v1/meetings/", {"year": "-5.792913500437836e+110"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "year"
    assert cm.get("/api/v1/meetings/", {"year": "2025"}).status_code == 200


@pytest.fixture(scope="module")
def schema_components():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator(api_version="1").get_schema(request=None, public=True)["components"]["schemas"]


def error_codes(components, name):
    return set(components[name]["properties"]["code"]["enum"])


def test_nul_byte_in_a_related_object_filter_is_a_documented_400(cm, schema_components):
    """Found by fuzzing: a NUL byte in ``?party=`` (a model choice filter) answered a 400 whose
    code the schema did not list; the schema now lists it for every such filter."""
    response = cm.get("/api/v1/missions/", {"party": "T\x00G"})
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "code": "null_characters_not_allowed",
        "detail": "Null characters are not allowed.",
        "attr": "party",
    }
    assert "null_characters_not_allowed" in error_codes(
        schema_components, "V1MissionsListPartyErrorComponent"
    )
    assert "null_characters_not_allowed" in error_codes(
        schema_components, "V1MissionsListCapCaseErrorComponent"
    )


def test_business_rule_errors_of_workflow_steps_are_documented(schema_components):
    """Found by fuzzing: a move the CAP case workflow has not (400 on ``to_stage``) and finalising
    a report never rendered (400 on ``status``) answered codes the schema did not list."""
    assert "invalid" in error_codes(schema_components, "V1CapCasesTransitionCreateToStageErrorComponent")
    assert "invalid" in error_codes(schema_components, "V1ReportsFinaliseCreateStatusErrorComponent")
    assert "invalid" in error_codes(
        schema_components, "V1EligibilityAssessmentsDecideCreateToStageErrorComponent"
    )


def test_undecided_assessment_documents_its_blank_decision(schema_components):
    """Found by fuzzing: an assessment not decided yet answers ``"decision": ""``, now in the schema."""
    decision = schema_components["EligibilityAssessment"]["properties"]["decision"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in decision["oneOf"]
