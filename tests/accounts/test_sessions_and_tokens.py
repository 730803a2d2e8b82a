"""Sessions end after an idle time; API tokens expire (issue 20, point 4)."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

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
    """A token older than API_TOKEN_TTL_DAYS answers 401; asking again gives a new, working one."""
    from parties.services import user_create

    settings.API_TOKEN_TTL_DAYS = 30
    user_create(username="alice", password="alice-right-password")
    key = api_client.post(
        reverse("api:token"), {"username": "alice", "password": "alice-right-password"}
    ).json()["token"]
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=31))
    response = api_client.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    fresh = api_client.post(
        reverse("api:token"), {"username": "alice", "password": "alice-right-password"}
    ).json()["token"]
    assert fresh != key
    assert api_client.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 200
