"""The client's address behind a proxy (issue 20.4): ``X-Forwarded-For`` is read only when
``TRUSTED_PROXY_COUNT`` names the proxies in front, and then only the entry they wrote; one rule
(``cap_portal.clientip.client_address``) for django-axes and the API throttles."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cap_portal.clientip import client_address
from parties.services import user_create

pytestmark = pytest.mark.django_db

LIMIT = 3
PROXY = "10.0.0.5"  # the nginx in front: every request reaches the portal from it


def _request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_header_is_never_read():
    assert client_address(_request("192.0.2.7")) == PROXY
    assert client_address(_request()) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_entry_it_wrote_is_the_client():
    assert client_address(_request("192.0.2.7")) == "192.0.2.7"
    # A client sending its own header: nginx appends the real address; the forged entry is ignored.
    assert client_address(_request("203.0.113.66, 192.0.2.7")) == "192.0.2.7"
    # No header (a request that did not come through the proxy): the connection's address.
    assert client_address(_request()) == PROXY


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_entry_of_the_outer_one():
    assert client_address(_request("203.0.113.66, 192.0.2.7, 10.0.0.9")) == "192.0.2.7"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT, TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_one_client_s_failures_do_not_lock_another_client(client):
    """All requests come from nginx's address: the pair must be (name, the client's address),
    else an attacker's failures for a name lock that person out from everywhere."""
    user_create(username="alice", password="alice-right-password")
    for _ in range(LIMIT):
        client.post(
            reverse("login"),
            {"login": "alice", "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    locked = client.post(
        reverse("login"),
        {"login": "alice", "password": "alice-right-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert locked.status_code == 429
    alice = client.post(
        reverse("login"),
        {"login": "alice", "password": "alice-right-password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.7",
    )
    assert alice.status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_a_forged_header_does_not_give_an_anonymous_client_a_fresh_api_limit(api_client, settings, clock):
    """DRF's own rule reads X-Forwarded-For whatever stands in front; the portal's does not."""
    settings.API_THROTTLE_RATES = {"user": "3/minute", "anon": "3/minute"}
    statuses = [
        api_client.post(
            reverse("api:token"),
            {"username": "nobody", "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(4)
    ]
    assert statuses[-1] == 429, statuses


def test_each_api_token_has_its_own_allowance(world, api_client, settings, clock):
    """Past a token's rate it answers 429; the same user's other token still works (below the
    user's rate)."""
    from accounts.tokens import token_create

    settings.API_THROTTLE_RATES = {"user": "10/minute", "token": "2/minute", "anon": "10/minute"}
    manager = world.users["case_manager"]
    _token, first = token_create(user=manager, name="nightly export")
    _token, second = token_create(user=manager, name="dashboard sync")
    statuses = [
        api_client.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {first}").status_code for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert api_client.get("/api/v1/parties/", HTTP_AUTHORIZATION=f"Token {second}").status_code == 200
