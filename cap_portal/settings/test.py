"""Tests: base settings with a fast hasher. CI sets DATABASE_URL and REDIS_URL to real services."""

from .base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False  # login throttling has its own test, which turns it back on
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in-process unless a test asks for the Redis-backed worker (tests/cap_portal/test_celery.py,
# tests/reports/test_reports_worker.py, tests/reports/test_reports_durable.py switch it off): no other
# test leaves messages in Redis for those tests' workers to pick up.
CELERY_TASK_ALWAYS_EAGER = True
