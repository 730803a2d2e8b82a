"""The signed-in user and their roles cached between requests (cap_portal.auth_cache, issue 15
point 4): fewer queries per request, and a role ended, an account switched off or a token revoked
takes effect on the very next request."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import role_end, role_grant, user_deactivate
from accounts.tokens import token_create, token_revoke
from cap_portal import auth_cache
from cap_portal.access import Role
from parties.models import RoleAssignment
from tests.workplans.factories import ActivityFactory, make_workplan

pytestmark = pytest.mark.django_db

CACHED_DB_SESSIONS = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def cache_on(settings):
    """The production setting with Redis (the suite runs with it off, see settings.test)."""
    settings.AUTH_CACHE_SECONDS = 600
    settings.SESSION_ENGINE = CACHED_DB_SESSIONS


@pytest.fixture
def activity(world):
    return ActivityFactory(workplan=make_workplan(world.own))


def bearer(user):
    _token, secret = token_create(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


def steady_queries(client, url, **headers) -> int:
    """The queries of a request once a first one has warmed what may be cached."""
    queries(client, url, **headers)
    return queries(client, url, **headers)


# --- fewer queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("detail", [False, True], ids=["list", "detail"])
def test_a_token_request_reads_no_roles(world, api_client, activity, settings, detail):
    """With a token: the token and its user are one query, the roles come from the cache (one
    query fewer than without the cache, on a list and on a detail)."""
    url = f"/api/v1/activities/{activity.pk}/" if detail else "/api/v1/activities/"
    headers = bearer(world.users["ma_focal_point"])
    settings.AUTH_CACHE_SECONDS = 0
    uncached = steady_queries(api_client, url, **headers)
    settings.AUTH_CACHE_SECONDS = 600
    queries(api_client, url, **headers)
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(url, **headers).status_code == 200
    assert len(captured) == uncached - 1
    assert not any("parties_roleassignment" in q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("detail", [False, True], ids=["list", "detail"])
def test_a_session_request_reads_no_session_user_or_roles(world, client, activity, settings, detail):
    """Signed in with a session: the session, its user and the roles come from the cache (three
    queries fewer than without it)."""
    url = f"/api/v1/activities/{activity.pk}/" if detail else "/api/v1/activities/"
    client.force_login(world.users["ma_focal_point"])
    uncached = steady_queries(client, url)
    settings.AUTH_CACHE_SECONDS = 600
    settings.SESSION_ENGINE = CACHED_DB_SESSIONS
    browser = Client()  # its SessionMiddleware reads the sessions from the cache
    browser.force_login(world.users["ma_focal_point"])
    cached = steady_queries(browser, url)
    assert cached == uncached - 3


def test_a_session_request_reads_its_user_and_roles_in_one_cache_call(world, activity, cache_on, monkeypatch):
    """The session's user and the user's roles come from the cache in one round trip (a
    ``get_many``), not one call each."""
    from django.core.cache import caches

    user = world.users["ma_focal_point"]
    browser = Client()
    browser.force_login(user)
    url = f"/api/v1/activities/{activity.pk}/"
    assert browser.get(url).status_code == 200  # caches the user and the roles
    backend = caches["default"]
    calls = []
    for name in ("get", "get_many"):
        real = getattr(backend, name)

        def record(keys, *args, name=name, real=real, **kwargs):
            calls.append((name, [keys] if isinstance(keys, str) else list(keys)))
            return real(keys, *args, **kwargs)

        monkeypatch.setattr(backend, name, record)
    assert browser.get(url).status_code == 200
    user_key, roles_key = auth_cache._user_key(user.pk), auth_cache._roles_key(user.pk)
    reads = [keys for _name, keys in calls if user_key in keys or roles_key in keys]
    assert reads == [[user_key, roles_key]], calls


@pytest.mark.parametrize("change", ["role ended", "role granted"])
def test_a_role_changed_takes_effect_on_a_sessions_next_request(world, activity, cache_on, change):
    """The roles read with the session's user are dropped as the roles a token reads are."""
    theirs = ActivityFactory(workplan=make_workplan(world.other))
    user = world.users["ma_focal_point"]
    browser = Client()
    browser.force_login(user)
    own, other = f"/api/v1/activities/{activity.pk}/", f"/api/v1/activities/{theirs.pk}/"
    for _ in range(2):  # the second is served from the cache
        assert browser.get(own).status_code == 200 and browser.get(other).status_code == 404
    if change == "role ended":
        assignment = RoleAssignment.objects.get(user=user)
        role_end(assignment=assignment, ends_on=timezone.localdate(), by=world.users["case_manager"])
        assert browser.get(own).status_code == 403
    else:
        role_grant(user=user, role=Role.MA_FOCAL_POINT, party=world.other, by=world.users["case_manager"])
        assert browser.get(other).status_code == 200


def test_the_cache_is_the_shared_django_cache(world, api_client, activity, cache_on):
    """What one process caches, another reads and another drops: the roles are in Django's cache
    (Redis in production), not in a process's memory. A write that bypasses the services and the
    signals (a queryset update) is not seen until the entry is dropped."""
    user = world.users["ma_focal_point"]
    headers = bearer(user)
    url = f"/api/v1/activities/{activity.pk}/"
    assert api_client.get(url, **headers).status_code == 200
    assert auth_cache.cached_roles(user) is not None
    RoleAssignment.objects.filter(user=user).update(ends_on=timezone.localdate())
    assert api_client.get(url, **headers).status_code == 200  # served from the cache
    auth_cache.forget_user(user.pk)
    assert api_client.get(url, **headers).status_code == 403


# --- invalidation: the next request sees the change --------------------------------------------


def test_a_role_ended_takes_effect_on_the_next_request(world, api_client, activity, cache_on):
    user = world.users["ma_focal_point"]
    headers = bearer(user)
    url = f"/api/v1/activities/{activity.pk}/"
    assert api_client.get(url, **headers).status_code == 200
    assignment = RoleAssignment.objects.get(user=user)
    role_end(assignment=assignment, ends_on=timezone.localdate(), by=world.users["case_manager"])
    assert api_client.get(url, **headers).status_code == 403  # no role left: 403


def test_a_role_granted_takes_effect_on_the_next_request(world, api_client, cache_on):
    """A focal point of Togo made focal point of Nigeria too sees Nigeria's activities at once."""
    theirs = ActivityFactory(workplan=make_workplan(world.other))
    user = world.users["ma_focal_point"]
    headers = bearer(user)
    url = f"/api/v1/activities/{theirs.pk}/"
    assert api_client.get(url, **headers).status_code == 404
    role_grant(user=user, role=Role.MA_FOCAL_POINT, party=world.other, by=world.users["case_manager"])
    assert api_client.get(url, **headers).status_code == 200


@pytest.mark.parametrize("write", ["save", "delete"])
def test_a_role_written_outside_the_services_takes_effect(world, api_client, activity, cache_on, write):
    """The admin or a shell saving or deleting a RoleAssignment drops the cached roles too."""
    user = world.users["ma_focal_point"]
    headers = bearer(user)
    url = f"/api/v1/activities/{activity.pk}/"
    assert api_client.get(url, **headers).status_code == 200
    assignment = RoleAssignment.objects.get(user=user)
    if write == "save":
        assignment.ends_on = timezone.localdate()
        assignment.save()
    else:
        assignment.delete()
    assert api_client.get(url, **headers).status_code == 403


def test_a_deactivated_account_is_signed_out_on_the_next_request(world, client, activity, cache_on):
    user = world.users["ma_focal_point"]
    client.force_login(user)
    url = f"/api/v1/activities/{activity.pk}/"
    assert client.get(url).status_code == 200
    user_deactivate(user=user, by=world.users["case_manager"])
    assert client.get(url).status_code in (401, 403)
    assert client.get("/").status_code == 302  # the UI sends them to sign in


def test_an_account_switched_off_outside_the_services_is_signed_out(world, client, activity, cache_on):
    user = world.users["ma_focal_point"]
    client.force_login(user)
    assert client.get("/api/v1/me/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_changed_password_ends_the_other_sessions(world, client, cache_on):
    """The cached user is used only when the session's auth hash matches it, as Django checks."""
    user = world.users["ma_focal_point"]
    client.force_login(user)
    assert client.get("/api/v1/me/").status_code == 200
    user.set_password("a-new-password-for-the-test")
    user.save()
    assert client.get("/api/v1/me/").status_code in (401, 403)


def test_a_revoked_token_answers_401_on_the_next_request(world, api_client, activity, cache_on):
    user = world.users["ma_focal_point"]
    token, secret = token_create(user=user, name="script")
    headers = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    assert api_client.get("/api/v1/activities/", **headers).status_code == 200
    token_revoke(token=token, by=user)
    assert api_client.get("/api/v1/activities/", **headers).status_code == 401


def test_a_deactivated_accounts_token_answers_401_on_the_next_request(world, api_client, cache_on):
    user = world.users["ma_focal_point"]
    headers = bearer(user)
    assert api_client.get("/api/v1/activities/", **headers).status_code == 200
    user_deactivate(user=user, by=world.users["case_manager"])
    assert api_client.get("/api/v1/activities/", **headers).status_code == 401


def test_a_role_starting_tomorrow_holds_tomorrow(world, api_client, cache_on, monkeypatch):
    """The cached roles are those of the day they were read: at midnight they are read again."""
    theirs = ActivityFactory(workplan=make_workplan(world.other))
    user = world.users["ma_focal_point"]
    headers = bearer(user)
    today = timezone.localdate()
    role_grant(
        user=user,
        role=Role.MA_FOCAL_POINT,
        party=world.other,
        starts_on=today + datetime.timedelta(days=1),
        by=world.users["case_manager"],
    )
    url = f"/api/v1/activities/{theirs.pk}/"
    assert api_client.get(url, **headers).status_code == 404
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    assert api_client.get(url, **headers).status_code == 200
