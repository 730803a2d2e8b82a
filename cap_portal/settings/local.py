"""The embedded default: SQLite, a worker on the filesystem broker, e-mail on the console.

It serves as users see the portal: DEBUG off (the portal's own 403/404/500 pages, in the user's
language), static files through WhiteNoise straight from the finders (no collectstatic needed).
A developer who wants Django's debug pages sets DEBUG=true in the environment.
"""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DEMO_DATA_ALLOWED = True  # runportal loads the sample portfolio and the demo users
# One web process (runserver): the signed-in user and roles may stay in its memory, for a minute
# at most (a role changed from another process, e.g. manage.py, takes effect within it).
if not REDIS_URL:  # noqa: F405
    AUTH_CACHE_SECONDS = env.int("AUTH_CACHE_SECONDS", default=60)
