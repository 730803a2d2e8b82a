"""The people API (issue 20, point 2): invitations, role assignments with dates, people."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from cap_portal.access import Role
from parties.models import RoleAssignment

pytestmark = pytest.mark.django_db


def signed_in(api_client, world, role="case_manager"):
    api_client.force_login(world.users[role])
    return api_client


def test_creating_an_invitation_sends_it_and_never_returns_the_secret(world, api_client):
    client = signed_in(api_client, world)
    response = client.post(
        reverse("api:invitation-list"),
        {"email": "kofi@example.org", "role": Role.SA_FOCAL_POINT, "party": "tg", "language": "fr"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "open" and body["party"] == "TG" and body["invited_by"] == "case_manager"
    assert not {"key_digest", "secret", "link", "key"} & set(body)
    assert len(mail.outbox) == 1
    secret_part = mail.outbox[0].body.split("/people/invitations/accept/")[1].split("/")[0]
    assert secret_part not in response.content.decode()
    detail = client.get(reverse("api:invitation-detail", kwargs={"pk": body["id"]}))
    assert secret_part not in detail.content.decode()


def test_an_invitation_with_a_bad_role_scope_is_400_on_the_field(world, api_client):
    client = signed_in(api_client, world)
    response = client.post(
        reverse("api:invitation-list"),
        {"email": "kofi@example.org", "role": Role.MA_FOCAL_POINT, "language": "en"},
        format="json",
    )
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["party"]
    assert not Invitation.objects.exists() and not mail.outbox


def test_revoke_and_resend(world, api_client):
    client = signed_in(api_client, world)
    created = client.post(
        reverse("api:invitation-list"),
        {"email": "kofi@example.org", "role": Role.SECRETARIAT_VIEWER, "language": "en"},
        format="json",
    ).json()
    resent = client.post(reverse("api:invitation-resend", kwargs={"pk": created["id"]}))
    assert resent.status_code == 200 and len(mail.outbox) == 2
    revoked = client.post(reverse("api:invitation-revoke", kwargs={"pk": created["id"]}))
    assert revoked.status_code == 200 and revoked.json()["status"] == "withdrawn"
    again = client.post(reverse("api:invitation-resend", kwargs={"pk": created["id"]}))
    assert again.status_code == 400 and len(mail.outbox) == 2


def test_role_assignments_list_with_dates_and_filters(world, api_client):
    client = signed_in(api_client, world, "secretariat_viewer")
    response = client.get(reverse("api:roleassignment-list"), {"party": "TG"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {r["role"] for r in rows} == {Role.MA_FOCAL_POINT, Role.SA_FOCAL_POINT}
    assert all(r["starts_on"] and r["ends_on"] is None and r["is_current"] for r in rows)


def test_granting_and_ending_a_role_through_the_api(world, api_client):
    """POST gives the role; PATCH ends_on with If-Match ends it (428 without, 412 when stale);
    an end before the start is 400 on ends_on."""
    client = signed_in(api_client, world)
    person = world.users["secretariat_viewer"]
    created = client.post(
        reverse("api:roleassignment-list"),
        {"user": person.pk, "role": Role.MA_FOCAL_POINT, "party": "NG"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = reverse("api:roleassignment-detail", kwargs={"pk": created.json()["id"]})
    etag = client.get(url)["ETag"]
    ends_on = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    assert client.patch(url, {"ends_on": ends_on}, format="json").status_code == 428
    assert client.patch(url, {"ends_on": ends_on}, format="json", HTTP_IF_MATCH='"stale"').status_code == 412
    # PATCH is partial: without ends_on, the service names the missing field (not a 500)
    missing = client.patch(url, {}, format="json", HTTP_IF_MATCH=etag)
    assert missing.status_code == 400 and missing.json()["errors"][0]["attr"] == "ends_on"
    before = "2000-01-01"
    refused = client.patch(url, {"ends_on": before}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 400 and refused.json()["errors"][0]["attr"] == "ends_on"
    ended = client.patch(
        url, {"ends_on": ends_on, "role": Role.CASE_MANAGER}, format="json", HTTP_IF_MATCH=etag
    )
    assert ended.status_code == 200, ended.json()
    assert ended.json()["ends_on"] == ends_on and ended.json()["role"] == Role.MA_FOCAL_POINT
    assignment = RoleAssignment.objects.get(pk=created.json()["id"])
    assert assignment.history.first().history_user == world.users["case_manager"]


def test_a_focal_point_role_without_party_is_400_on_party(world, api_client):
    client = signed_in(api_client, world)
    response = client.post(
        reverse("api:roleassignment-list"),
        {"user": world.users["secretariat_viewer"].pk, "role": Role.SA_FOCAL_POINT},
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["attr"] == "party"


def test_people_lists_current_roles(world, api_client):
    client = signed_in(api_client, world, "secretariat_viewer")
    response = client.get(reverse("api:person-list"), {"role": Role.MA_FOCAL_POINT})
    assert response.status_code == 200
    (person,) = response.json()["results"]
    assert person["username"] == "ma_focal_point"
    assert [(r["role"], r["party"]) for r in person["roles"]] == [(Role.MA_FOCAL_POINT, "TG")]


@pytest.mark.parametrize("role", ["ma_focal_point", "sa_focal_point", "donor_observer"])
def test_a_focal_point_cannot_reach_the_people_api(role, world, api_client):
    client = signed_in(api_client, world, role)
    for name in ("api:invitation-list", "api:roleassignment-list", "api:person-list"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.post(reverse("api:invitation-list"), {}, format="json").status_code == 403
    assert client.post(reverse("api:roleassignment-list"), {}, format="json").status_code == 403


def test_a_secretariat_viewer_reads_but_cannot_write(world, api_client):
    client = signed_in(api_client, world, "secretariat_viewer")
    assert client.get(reverse("api:person-list")).status_code == 200
    response = client.post(
        reverse("api:invitation-list"),
        {"email": "x@example.org", "role": Role.SECRETARIAT_VIEWER, "language": "en"},
        format="json",
    )
    assert response.status_code == 403 and not Invitation.objects.exists()


def test_anonymous_gets_401(api_client, world):
    for name in ("api:invitation-list", "api:roleassignment-list", "api:person-list"):
        assert api_client.get(reverse(name)).status_code == 401, name


def test_the_schema_declares_what_the_responses_hold():
    """An invitation not accepted yet has no ``accepted_by`` (null, as the schema says)."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(api_version="1").get_schema(request=None, public=True)
    invitation = schema["components"]["schemas"]["Invitation"]["properties"]
    assert invitation["accepted_by"].get("nullable") is True
    assert "secret" not in invitation and "key_digest" not in invitation
    # the services' field errors (role without its Party or donor, end before start) are documented
    components = schema["components"]["schemas"]
    for name in (
        "V1InvitationsCreatePartyErrorComponent",
        "V1InvitationsCreateDonorErrorComponent",
        "V1RoleAssignmentsCreatePartyErrorComponent",
        "V1RoleAssignmentsPartialUpdateEndsOnErrorComponent",
    ):
        assert "invalid" in components[name]["properties"]["code"]["enum"], name
