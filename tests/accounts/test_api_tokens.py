"""Named API tokens a user manages (issue 20, point 3): created with a name and an expiry, the
secret shown once and stored only as a digest, revoked by their user or a case manager, refused
with 401 once revoked or expired or when the account is deactivated, and their last use noted."""

import datetime
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.tokens import (
    TokenStatus,
    default_expiry_date,
    end_of_day,
    token_create,
    token_revoke,
    token_status,
    tokens_of,
)
from cap_portal.concurrency import etag_for

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v1/tokens/"


def detail_url(token):
    return reverse("api:apitoken-detail", args=[token.pk])


def revoke_url(token):
    return reverse("api:apitoken-revoke", args=[token.pk])


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def make_token(user, name="script", **kwargs):
    return token_create(user=user, name=name, **kwargs)


def error_fields(response):
    return {error["attr"] for error in response.json()["errors"]}


# --- shown once, stored as a digest --------------------------------------------------------------


def test_the_secret_is_answered_once_and_never_stored(world, api_client):
    """POST answers the secret (201); the database holds only its SHA-256 and first characters;
    neither the list nor the detail nor the history ever contains it again."""
    user = world.users["ma_focal_point"]
    api_client.force_login(user)
    response = api_client.post(LIST_URL, {"name": "nightly export"}, format="json")
    assert response.status_code == 201, response.json()
    assert response["Cache-Control"] == "no-store"
    secret = response.json()["token"]
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert token.user == user and token.name == "nightly export"
    assert token.key_digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:8] == response.json()["prefix"]
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    stored += [str(value) for row in token.history.values() for value in row.values()]
    assert not any(secret in value for value in stored)
    for url in (LIST_URL, detail_url(token), reverse("api:apitoken-history", args=[token.pk])):
        answer = api_client.get(url)
        assert answer.status_code == 200
        assert secret not in answer.content.decode() and '"token"' not in answer.content.decode()
    assert api_client.get(detail_url(token)).json()["status"] == TokenStatus.ACTIVE


def test_a_new_token_works(world, api_client):
    """The secret authenticates as its user, with the user's roles."""
    _token, secret = make_token(world.users["donor_observer"])
    response = api_client.get("/api/v1/me/", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == "donor_observer"


def test_the_default_expiry_is_api_token_ttl_days_from_today(world, settings):
    """Without an expiry a token works until the end of the day API_TOKEN_TTL_DAYS from today."""
    settings.API_TOKEN_TTL_DAYS = 30
    token, _secret = make_token(world.users["case_manager"])
    expected = timezone.localdate() + datetime.timedelta(days=30)
    assert token.expires_at == end_of_day(expected) == end_of_day(default_expiry_date())
    assert timezone.localtime(token.expires_at).date() == expected


# --- refused -------------------------------------------------------------------------------------


def test_a_revoked_token_answers_401(world, api_client):
    token, secret = make_token(world.users["sa_focal_point"])
    assert api_client.get("/api/v1/me/", **bearer(secret)).status_code == 200
    token_revoke(token=token, by=world.users["sa_focal_point"])
    response = api_client.get("/api/v1/me/", **bearer(secret))
    assert response.status_code == 401
    assert "revoked" in response.json()["errors"][0]["detail"]
    assert response["WWW-Authenticate"] == "Token"


def test_an_expired_token_answers_401(world, api_client):
    token, secret = make_token(world.users["sa_focal_point"])
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api_client.get("/api/v1/me/", **bearer(secret))
    assert response.status_code == 401
    assert "expired" in response.json()["errors"][0]["detail"]


def test_the_token_of_a_deactivated_account_answers_401(world, api_client):
    user = world.users["ma_focal_point"]
    _token, secret = make_token(user)
    user.is_active = False
    user.save()
    response = api_client.get("/api/v1/me/", **bearer(secret))
    assert response.status_code == 401
    assert "deactivated" in response.json()["errors"][0]["detail"]


def test_an_unknown_token_answers_401(world, api_client):
    make_token(world.users["ma_focal_point"])
    assert api_client.get("/api/v1/me/", **bearer("not-a-token")).status_code == 401


# --- last use ------------------------------------------------------------------------------------


def _token_updates(captured):
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"]
    ]


def test_last_used_is_noted_at_most_once_a_minute(world, api_client):
    """The first use sets last_used_at (one UPDATE); a use within the minute writes nothing; a use
    after it writes again. No history record and no new ETag for a use."""
    token, secret = make_token(world.users["case_manager"])
    assert token.last_used_at is None
    updated, history = token.updated, token.history.count()
    with CaptureQueriesContext(connection) as first:
        assert api_client.get("/api/v1/me/", **bearer(secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and len(_token_updates(first)) == 1
    with CaptureQueriesContext(connection) as second:
        assert api_client.get("/api/v1/me/", **bearer(secret)).status_code == 200
    assert _token_updates(second) == []
    a_while_ago = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=a_while_ago)
    assert api_client.get("/api/v1/me/", **bearer(secret)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > a_while_ago
    assert token.updated == updated and token.history.count() == history


# --- whose tokens --------------------------------------------------------------------------------


def test_a_focal_point_sees_and_revokes_only_their_own_tokens(world, api_client):
    """Another user's token answers 404 to a focal point (read, DELETE, revoke) and stays active;
    the list shows only their own, even when asking for another user's."""
    mine, _ = make_token(world.users["ma_focal_point"], "mine")
    theirs, _ = make_token(world.users["sa_focal_point"], "theirs")
    api_client.force_login(world.users["ma_focal_point"])
    assert api_client.get(detail_url(theirs)).status_code == 404
    assert api_client.delete(detail_url(theirs), HTTP_IF_MATCH=etag_for(theirs)).status_code == 404
    assert api_client.post(revoke_url(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert [row["id"] for row in api_client.get(LIST_URL).json()["results"]] == [mine.pk]
    other = world.users["sa_focal_point"].pk
    assert api_client.get(LIST_URL, {"user": other}).json()["results"] == []


def test_a_case_manager_revokes_another_persons_token(world, api_client):
    """A case manager lists a person's tokens (?user=) and revokes one; the history names them.
    The record stays, revoked."""
    person = world.users["ma_focal_point"]
    token, secret = make_token(person)
    manager = world.users["case_manager"]
    api_client.force_login(manager)
    assert api_client.get(LIST_URL).json()["results"] == []  # by default, one's own
    listed = api_client.get(LIST_URL, {"user": person.pk}).json()["results"]
    assert [(row["id"], row["user"]) for row in listed] == [(token.pk, "ma_focal_point")]
    refused = api_client.get(LIST_URL, {"user": "someone"})
    assert refused.status_code == 400 and error_fields(refused) == {"user"}
    response = api_client.post(revoke_url(token))
    assert response.status_code == 200 and response.json()["status"] == TokenStatus.REVOKED
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.latest("history_date").history_user == manager
    api_client.logout()
    assert api_client.get("/api/v1/me/", **bearer(secret)).status_code == 401


def test_delete_revokes_with_if_match(world, api_client):
    """DELETE needs If-Match (428 without, nothing changed); with it, 204 and the token is
    revoked, not deleted."""
    token, _ = make_token(world.users["donor_observer"])
    api_client.force_login(world.users["donor_observer"])
    assert api_client.delete(detail_url(token)).status_code == 428
    token.refresh_from_db()
    assert token.revoked_at is None
    etag = api_client.get(detail_url(token))["ETag"]
    assert api_client.delete(detail_url(token), HTTP_IF_MATCH=etag).status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None and token_status(token) == TokenStatus.REVOKED


# --- refused input -------------------------------------------------------------------------------


def test_a_name_already_used_is_refused_on_the_field(world, api_client):
    user = world.users["ma_focal_point"]
    make_token(user, "backup")
    make_token(world.users["sa_focal_point"], "deploy")  # another user's name is free
    api_client.force_login(user)
    before = ApiToken.objects.count()
    response = api_client.post(LIST_URL, {"name": "backup"}, format="json")
    assert response.status_code == 400 and error_fields(response) == {"name"}
    assert ApiToken.objects.count() == before
    assert api_client.post(LIST_URL, {"name": "deploy"}, format="json").status_code == 201


@pytest.mark.parametrize(
    "when",
    [
        pytest.param(lambda: timezone.now() - datetime.timedelta(minutes=1), id="past"),
        pytest.param(lambda: end_of_day(timezone.localdate() + datetime.timedelta(days=31)), id="beyond-max"),
    ],
)
def test_an_expiry_in_the_past_or_beyond_the_maximum_is_refused_on_the_field(
    when, world, api_client, settings
):
    settings.API_TOKEN_MAX_DAYS = 30
    api_client.force_login(world.users["ma_focal_point"])
    response = api_client.post(LIST_URL, {"name": "x", "expires_at": when().isoformat()}, format="json")
    assert response.status_code == 400 and error_fields(response) == {"expires_at"}
    assert not ApiToken.objects.exists()
    latest = end_of_day(timezone.localdate() + datetime.timedelta(days=30))
    response = api_client.post(LIST_URL, {"name": "x", "expires_at": latest.isoformat()}, format="json")
    assert response.status_code == 201
    assert ApiToken.objects.get().expires_at == latest


def test_a_blank_name_is_refused_on_the_field(world, api_client):
    api_client.force_login(world.users["ma_focal_point"])
    response = api_client.post(LIST_URL, {"name": "  "}, format="json")
    assert response.status_code == 400 and error_fields(response) == {"name"}
    assert not ApiToken.objects.exists()


# --- the pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["case_manager", "secretariat_viewer", "ma_focal_point", "donor_observer"])
def test_every_signed_in_user_creates_a_token_in_the_portal(role, world, client):
    """The form's answer shows the secret once, with a warning; the list never shows it."""
    client.force_login(world.users[role])
    form = client.get(reverse("tokens:token_add"))
    assert form.status_code == 200
    assert default_expiry_date().isoformat() in form.content.decode()
    expires = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("tokens:token_add"), {"name": "my script", "expires_at": expires.isoformat()}
    )
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=world.users[role])
    secret = response.context["secret"]
    assert token.key_digest == hashlib.sha256(secret.encode()).hexdigest()
    page = response.content.decode()
    assert secret in page and "only time it is shown" in page
    assert token.expires_at == end_of_day(expires)
    listing = client.get(reverse("tokens:token_list")).content.decode()
    assert "my script" in listing and token.prefix in listing and secret not in listing


def test_the_form_refuses_a_clash_and_a_past_date_on_the_fields(world, client):
    user = world.users["sa_focal_point"]
    make_token(user, "backup")
    client.force_login(user)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("tokens:token_add"), {"name": "backup", "expires_at": yesterday.isoformat()}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "expires_at"}
    assert "secret" not in response.context
    assert ApiToken.objects.count() == 1


def test_the_list_page_shows_only_ones_own_tokens(world, client):
    make_token(world.users["ma_focal_point"], "someone else's")
    make_token(world.users["case_manager"], "my own")
    client.force_login(world.users["case_manager"])
    page = client.get(reverse("tokens:token_list")).content.decode()
    assert "my own" in page and "someone else" not in page


def test_the_list_page_runs_a_fixed_number_of_queries(world, client):
    user = world.users["ma_focal_point"]
    client.force_login(user)
    make_token(user, "first")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tokens:token_list"))
    for n in range(20):
        make_token(user, f"token {n}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("tokens:token_list"))
    assert "token 19" in page.content.decode()
    assert len(one) == len(many)


def test_a_user_revokes_their_token_after_confirming(world, client):
    user = world.users["donor_observer"]
    token, _ = make_token(user)
    client.force_login(user)
    url = reverse("tokens:token_revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Revoke" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # opening the confirmation changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("tokens:token_list")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_from_the_portal_another_persons_token(world, client):
    """A focal point gets 404 for another's token; a case manager revokes it and goes back to
    the page they came from (the person's page)."""
    token, _ = make_token(world.users["sa_focal_point"])
    url = reverse("tokens:token_revoke", args=[token.pk])
    client.force_login(world.users["ma_focal_point"])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(world.users["case_manager"])
    response = client.post(url, {"next": "/people/"})
    assert response.status_code == 302 and response["Location"] == "/people/"
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_tokens_of_a_person(world):
    """The selector of the person page: a person's tokens, newest first; with a viewer, only
    what the viewer may see."""
    person = world.users["ma_focal_point"]
    older, _ = make_token(person, "older")
    newer, _ = make_token(person, "newer")
    make_token(world.users["sa_focal_point"], "another person's")
    assert list(tokens_of(person)) == [newer, older]
    assert list(tokens_of(person, viewer=world.users["case_manager"])) == [newer, older]
    assert list(tokens_of(person, viewer=world.users["sa_focal_point"])) == []


def test_the_schema_documents_the_token_scheme():
    """The API description still names ``Authorization: Token …``, and the token endpoints."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(api_version="1").get_schema(request=None, public=True)
    schemes = schema["components"]["securitySchemes"]
    assert any(
        s.get("name") == "Authorization" and "Token" in s.get("description", "") for s in schemes.values()
    )
    assert "/api/v1/tokens/" in schema["paths"] and "/api/v1/tokens/{id}/revoke/" in schema["paths"]
    created = schema["paths"]["/api/v1/tokens/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("ApiTokenCreated")
