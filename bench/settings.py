"""Settings of the benchmarks: the portal's (``local``: DATABASE_URL, REDIS_URL from the environment)
with DEBUG off, as in production, and ``bench.urls`` adding the load baselines (trivial view, yardsticks).
Production's HTTPS settings are left out: the benchmarks talk plain HTTP on 127.0.0.1."""

import os

from cap_portal.settings.local import *  # noqa: F401,F403
from cap_portal.settings.local import REST_FRAMEWORK

DEBUG = False
ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
AXES_ENABLED = False  # the load generator signs in with a token, many times a second
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The load benchmark and the API-while-rendering one (bench_load.py and bench_concurrent.py set
# BENCH_NO_THROTTLE for their gunicorn) ask far more of one token than the production rates allow
# (600 a minute): throttled, they would measure 429s. The load benchmark's yardstick is not
# throttled either, so the comparison leaves out the throttle's cache round trips.
if os.environ.get("BENCH_NO_THROTTLE"):
    REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
