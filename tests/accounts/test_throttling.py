"""Login throttling and API throttling that an attacker cannot turn against other people (issue 20).

django-axes locks the (username, address) pair, never a whole address or a whole account; the
token endpoint answers 429 while a pair is locked; the client address comes from the proxy header
only when ``TRUSTED_PROXY_COUNT`` says a proxy is in front; the API throttles requests per user.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from parties.services import user_create

pytestmark = pytest.mark.django_db

LIMIT = 3


def fail_logins(client, username, times=LIMIT, **extra):
    for _ in range(times):
        client.post(reverse("login"), {"login": username, "password": "wrong"}, **extra)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_failures_for_one_name_do_not_lock_others_behind_the_same_address(client):
    """Wrong passwords for one name from an address do not lock another user at that address."""
    user_create(username="alice", password="alice-right-password")
    fail_logins(client, "mallory-guess")
    response = client.post(reverse("login"), {"login": "alice", "password": "alice-right-password"})
    assert response.status_code == 302, "alice was locked out by failures for another name"
    assert client.session.get("_auth_user_id")


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_failures_from_one_address_do_not_lock_the_account_elsewhere(client):
    """An attacker guessing alice's password from one address does not lock alice out from hers."""
    user_create(username="alice", password="alice-right-password")
    fail_logins(client, "alice", REMOTE_ADDR="203.0.113.9")
    response = client.post(
        reverse("login"),
        {"login": "alice", "password": "alice-right-password"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302, "alice was locked out by failures from another address"


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_the_locked_pair_stays_locked(client):
    """The pair that failed is locked: even the right password answers 429."""
    user_create(username="alice", password="alice-right-password")
    fail_logins(client, "alice")
    response = client.post(reverse("login"), {"login": "alice", "password": "alice-right-password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_token_endpoint_answers_429_while_locked(api_client):
    """While the pair is locked the token endpoint answers 429, not 401 "Incorrect credentials"."""
    user_create(username="alice", password="alice-right-password")
    url = reverse("api:token")
    statuses = [
        api_client.post(url, {"username": "alice", "password": "wrong"}).status_code for _ in range(LIMIT)
    ]
    # wrong credentials answer 401 until the failure that locks the pair, which already answers 429
    assert statuses[:-1] == [401] * (LIMIT - 1) and statuses[-1] in (401, 429)
    response = api_client.post(url, {"username": "alice", "password": "alice-right-password"})
    assert response.status_code == 429
    assert "token" not in response.json()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=LIMIT)
def test_a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy(client):
    """Without a trusted proxy, X-Forwarded-For is the client's word: changing it does not reset the
    count (nor could it be used to lock someone else's address)."""
    user_create(username="alice", password="alice-right-password")
    for n in range(LIMIT):
        client.post(
            reverse("login"),
            {"login": "alice", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}",
        )
    response = client.post(
        reverse("login"),
        {"login": "alice", "password": "alice-right-password"},
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert response.status_code == 429


def test_the_api_throttles_requests_per_user(api_client, world, settings, clock):
    """Past the per-user rate the API answers 429 with Retry-After; other users are not affected."""
    settings.API_THROTTLE_RATES = {"user": "3/minute", "anon": "3/minute"}
    api_client.force_login(world.users["case_manager"])
    statuses = [api_client.get("/api/v1/parties/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/parties/")
    assert response.status_code == 429 and int(response["Retry-After"]) == 50  # the minute's rest
    api_client.logout()
    api_client.force_login(world.users["secretariat_viewer"])
    assert api_client.get("/api/v1/parties/").status_code == 200


def test_the_count_starts_again_with_the_next_minute(api_client, world, settings, clock):
    """Requests are counted per minute: the rate used up in one, the next one serves again (and
    the token of a script counts apart from its owner's session, under its own rate)."""
    settings.API_THROTTLE_RATES = {"user": "2/minute", "anon": "2/minute"}
    api_client.force_login(world.users["case_manager"])
    assert [api_client.get("/api/v1/parties/").status_code for _ in range(3)] == [200, 200, 429]
    clock[0] += 49.0  # the same minute, a second before its end
    assert api_client.get("/api/v1/parties/").status_code == 429
    clock[0] += 1.0  # the next minute
    assert [api_client.get("/api/v1/parties/").status_code for _ in range(3)] == [200, 200, 429]


def _user_throttle_calls(user, times: int) -> list[bool]:
    """``times`` requests of ``user`` through the per-user throttle, as DRF makes them (a new
    throttle per request)."""
    from types import SimpleNamespace

    from cap_portal.api.throttling import UserThrottle

    request = SimpleNamespace(user=user, META={"REMOTE_ADDR": "192.0.2.10"})
    return [UserThrottle().allow_request(request, None) for _ in range(times)]


def test_a_high_rate_is_counted_in_the_shared_cache_ten_requests_at_a_time(
    world, settings, clock, monkeypatch
):
    """At 1,000 a minute a process adds a user's requests to the shared counter ten at a time (a
    hundredth of the rate; one round trip each) and refuses the 1,001st exactly."""
    from cap_portal.api import throttling

    settings.API_THROTTLE_RATES = {"user": "1000/minute"}
    round_trips = []
    counting = throttling.count
    monkeypatch.setattr(throttling, "count", lambda *a, **k: round_trips.append(k["by"]) or counting(*a, **k))
    allowed = _user_throttle_calls(world.users["case_manager"], 1001)
    assert allowed == [True] * 1000 + [False]
    assert len(round_trips) == 101 and sum(round_trips) == 1001  # the first, then one per ten


def test_requests_counted_by_other_processes_refuse_a_client_within_one_batch(world, settings, clock):
    """Another process's requests reach this one at its next round trip: past the rate, a client
    is refused at most ``batch - 1`` requests later than by the shared counter alone."""
    from cap_portal.api.throttling import UserThrottle
    from cap_portal.cache import count

    settings.API_THROTTLE_RATES = {"user": "1000/minute"}
    user = world.users["case_manager"]
    assert _user_throttle_calls(user, 5) == [True] * 5  # shared counter 1, four in this process
    window = int(clock[0] // 60)
    key = UserThrottle().cache_format % {"scope": "user", "ident": user.pk}
    count(f"{key}_{window}", 60, by=995)  # other processes: the shared counter is now 996
    later = _user_throttle_calls(user, 10)
    assert later == [True] * 5 + [False] * 5  # refused from the round trip (the 10th) on
    admitted = 5 + later.count(True) + 995
    assert 0 < admitted - 1000 <= UserThrottle().batch() - 1  # 5 past the rate, fewer than 10


def test_a_low_rate_counts_every_request_in_the_shared_cache(world, settings, clock, monkeypatch):
    """Under 200 requests a period every request is added to the shared counter at once."""
    from cap_portal.api import throttling

    settings.API_THROTTLE_RATES = {"user": "150/minute"}
    round_trips = []
    counting = throttling.count
    monkeypatch.setattr(throttling, "count", lambda *a, **k: round_trips.append(1) or counting(*a, **k))
    assert _user_throttle_calls(world.users["case_manager"], 151) == [True] * 150 + [False]
    assert len(round_trips) == 151
