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


@pytest.fixture
def timestamp_loaders(postgresql):
    """A context manager recording, for each query run inside it, its SQL and the loader its
    cursor reads ``timestamp with time zone`` with (``cap_portal.db.compiled_timestamps``)."""
    import contextlib

    from django.db import connection
    from psycopg.postgres import types
    from psycopg.pq import Format

    oid = types["timestamptz"].oid

    @contextlib.contextmanager
    def record():
        seen = []

        def observe(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            seen.append((sql, context["cursor"].cursor.adapters.get_loader(oid, Format.TEXT)))
            return result

        with connection.execute_wrapper(observe):
            yield seen

    return record


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


@pytest.fixture(scope="session")
def _moto_endpoint():
    """A real S3-compatible server (moto's, in a thread of this test process, on a free port),
    started once per test process."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class ObjectStorage:
    """The bucket the portal stores its files in during a test, read back with boto3."""

    def __init__(self, endpoint_url: str, bucket: str):
        import boto3

        self.endpoint_url, self.bucket = endpoint_url, bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name="us-east-1",
            aws_access_key_id="cap-test",
            aws_secret_access_key="cap-test-secret",
        )

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()


@pytest.fixture
def s3_storage(_moto_endpoint, settings, monkeypatch, tmp_path):
    """Files go to a new, empty bucket on a real S3-compatible server, configured as production
    configures it: the OBJECT_STORAGE_* variables are set and the settings' own STORAGES block is
    read (cap_portal/settings/base.py), not a copy of it. MEDIA_ROOT is an empty folder, for tests
    to show nothing lands there."""
    import runpy
    import uuid

    storage = ObjectStorage(_moto_endpoint, f"cap-test-{uuid.uuid4().hex[:12]}")
    storage.client.create_bucket(Bucket=storage.bucket)
    for name, value in {
        "OBJECT_STORAGE_BUCKET": storage.bucket,
        "OBJECT_STORAGE_ENDPOINT_URL": _moto_endpoint,
        "OBJECT_STORAGE_REGION": "us-east-1",
        "OBJECT_STORAGE_ACCESS_KEY": "cap-test",
        "OBJECT_STORAGE_SECRET_KEY": "cap-test-secret",
    }.items():
        monkeypatch.setenv(name, value)
    configured = runpy.run_path(str(settings.BASE_DIR / "cap_portal" / "settings" / "base.py"))["STORAGES"]
    assert configured["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": configured["default"]}
    settings.MEDIA_ROOT = tmp_path / "media"
    return storage
