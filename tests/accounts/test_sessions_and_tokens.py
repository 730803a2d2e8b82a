"""Sessions end after an idle time; API tokens expire (issue 20, points 3 and 4)."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from cap_portal.middleware import LAST_SEEN

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_the_idle_timeout(client, world, settings):
    """A request after more than SESSION_IDLE_TIMEOUT seconds of silence is signed out."""
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(world.users["case_manager"])
    assert client.get("/parties/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 601
    session.save()
    response = client.get("/parties/")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_active_session_is_kept_and_renewed(client, world, settings):
    """A request within the idle time keeps the session and records the activity."""
    settings.SESSION_IDLE_TIMEOUT = 600
    client.force_login(world.users["case_manager"])
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 300
    session.save()
    assert client.get("/parties/").status_code == 200
    assert client.session[LAST_SEEN] >= int(time.time()) - 5


def test_an_expired_token_is_refused_and_a_new_one_issued(api_client, world, settings):
    """A token signed in for expires API_TOKEN_TTL_DAYS from today; once expired it answers 401;
    signing in again gives a new, working one."""
    from parties.services import user_create

    settings.API_TOKEN_TTL_DAYS = 30
    alice = user_create(username="alice", password="alice-right-password")
    key = api_client.post(
        reverse("api:token"), {"username": "alice", "password": "alice-right-password"}
    ).json()["token"]
    token = ApiToken.objects.get(user=alice)
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + datetime.timedelta(days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api_client.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    fresh = api_client.post(
        reverse("api:token"), {"username": "alice", "password": "alice-right-password"}
    ).json()["token"]
    assert fresh != key
    assert api_client.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 200


def test_signing_in_through_the_api_creates_a_named_token_each_time(api_client, world):
    """Each username+password sign-in creates a new token named after the moment, listed on the
    user's tokens page; the secret is answered once and only its digest is kept."""
    from parties.services import user_create

    alice = user_create(username="alice", password="alice-right-password")
    credentials = {"username": "alice", "password": "alice-right-password"}
    first = api_client.post(reverse("api:token"), credentials)
    second = api_client.post(reverse("api:token"), credentials)
    assert first.status_code == second.status_code == 200
    assert first["Cache-Control"] == "no-store"
    secrets = {first.json()["token"], second.json()["token"]}
    tokens = list(ApiToken.objects.filter(user=alice))
    assert len(secrets) == len(tokens) == 2
    assert len({t.name for t in tokens}) == 2
    assert all(t.name.startswith("Signed in through the API on ") for t in tokens)
    assert {first.json()["name"], second.json()["name"]} == {t.name for t in tokens}
    assert not ApiToken.objects.filter(key_digest__in=secrets).exists()
    for secret in secrets:
        assert api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


def test_wrong_credentials_answer_401_and_create_no_token(api_client, world):
    """Wrong credentials answer 401 (with WWW-Authenticate), and no token is created."""
    from parties.services import user_create

    user_create(username="alice", password="alice-right-password")
    response = api_client.post(reverse("api:token"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert not ApiToken.objects.exists()
