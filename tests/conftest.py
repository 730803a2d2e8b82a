"""Fixtures shared by every test: a world of two Parties and one user per role.

CI (CI=true) must test against real services: the session refuses to start on SQLite, and a test
that needs Redis fails instead of skipping when Redis cannot be reached.
"""

import os

import pytest
from django.conf import settings

from cap_portal.access import Role
from parties.models import Donor, Party
from parties.services import role_assign, user_create

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    if IN_CI:
        engine = settings.DATABASES["default"]["ENGINE"]
        if engine != "django.db.backends.postgresql":
            raise pytest.UsageError(f"CI must run on PostgreSQL (DATABASE_URL), not {engine}")
        if not settings.REDIS_URL:
            raise pytest.UsageError("CI must run with REDIS_URL pointing at a real Redis")


def require_service(name: str, reason: str):
    """Skip locally, fail in CI: a missing service must never pass silently there."""
    if IN_CI:
        pytest.fail(f"{name} is required in CI: {reason}")
    pytest.skip(f"{name} not available: {reason}")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through LocaleMiddleware (e.g. after
    set_language to "es") leaves its language active in the thread, and the next test's English
    assertions would then meet the French or Spanish catalogue."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def redis_url():
    """The configured Redis, with this test process's keys (``REDIS_KEY_PREFIX``, one per run and
    test worker) emptied before the test. Another test worker or run sharing the database keeps
    its keys, and its Celery workers never take this process's tasks."""
    import redis

    if not settings.REDIS_URL:
        require_service("Redis", "REDIS_URL is not set")
    assert settings.REDIS_KEY_PREFIX, "test settings give every run its own Redis key prefix"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
        stale = list(client.scan_iter(match=f"{settings.REDIS_KEY_PREFIX}*", count=1000))
        if stale:
            client.delete(*stale)
    except redis.RedisError as error:
        require_service("Redis", str(error))
    return settings.REDIS_URL


@pytest.fixture
def postgresql():
    """For tests that need PostgreSQL's row locking and real concurrency."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        require_service("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")


class World:
    """Two Parties — the users' own (Togo) and another (Nigeria) — and a user per role.

    Party-scoped roles are held for the own Party; the donor observer observes for ``donor``
    (another donor, ``other_donor``, funds nothing the observer may see). ``users["anonymous"]``
    is None.
    """

    def __init__(self):
        self.own = Party.objects.create(code="TG", name="Togo", region="africa", is_ldc=True, language="fr")
        self.other = Party.objects.create(code="NG", name="Nigeria", region="africa")
        self.donor = Donor.objects.create(name="European Union", short_name="EU")
        self.other_donor = Donor.objects.create(name="Switzerland", short_name="CH")
        self.users = {"anonymous": None}
        for role in Role:
            user = user_create(username=role.value, password="pw-" + role.value)
            party = self.own if role in (Role.MA_FOCAL_POINT, Role.SA_FOCAL_POINT) else None
            donor = self.donor if role == Role.DONOR_OBSERVER else None
            role_assign(user=user, role=role, party=party, donor=donor)
            self.users[role.value] = user

    def party(self, which: str) -> Party:
        return {"own": self.own, "other": self.other}[which]


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
