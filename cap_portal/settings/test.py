"""Tests: base settings with a fast hasher. CI sets DATABASE_URL and REDIS_URL to real services."""

import os
import tempfile
import uuid

# Each test run, and within it each pytest-xdist worker (which has its own test database), keeps
# its Redis keys under its own prefix; the Celery workers a test starts inherit the environment
# and so the prefix. A test empties only its own keys and a worker only takes its own tasks.
_RUN = os.environ.setdefault("CAP_TEST_RUN", uuid.uuid4().hex[:12])
os.environ["REDIS_KEY_PREFIX"] = f"cap-test-{_RUN}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}:"
# Without Redis the broker is a folder: the tests' own, never the var/celery of a running portal.
os.environ.setdefault("CELERY_BROKER_DIR", os.path.join(tempfile.gettempdir(), f"cap-test-celery-{_RUN}"))

from .base import *  # noqa: E402,F401,F403

DEBUG = False
DEMO_DATA_ALLOWED = True
# No request throttling in tests (the fuzzing sends thousands of requests); its own test sets rates.
API_THROTTLE_RATES = {"user": None, "anon": None}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False  # login throttling has its own test, which turns it back on
# Nor django-allauth's rate limits (counted in the cache, across tests); tests/accounts/test_signin.py
# turns the portal's back on.
ACCOUNT_RATE_LIMITS = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in-process unless a test asks for the Redis-backed worker (tests/cap_portal/test_celery.py,
# tests/reports/test_reports_worker.py, tests/reports/test_reports_durable.py switch it off): no other
# test leaves messages in Redis for those tests' workers to pick up.
CELERY_TASK_ALWAYS_EAGER = True
# The user, roles and session are read from the database on every request, as the pinned query
# counts of the suite assume; tests/cap_portal/test_auth_cache.py turns the cache on and pins the
# queries it saves.
AUTH_CACHE_SECONDS = 0
# Lists are counted on every request, as the pinned query counts assume (the cache would carry a
# count from one test to the next); tests/cap_portal/test_pagination.py turns the cache on.
LIST_COUNT_CACHE_SECONDS = 0
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# The test cluster is thrown away: a commit need not wait for the disk. This changes neither what
# other connections see nor locking (the concurrency tests are as strict), only durability after
# a crash of the server; it spares each of the ~30,000 commits of the concurrency tests a flush.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
