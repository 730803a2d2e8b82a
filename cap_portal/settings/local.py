"""The embedded default: DEBUG on, SQLite, a worker on the filesystem broker, e-mail on the console."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
DEMO_DATA_ALLOWED = True  # runportal loads the sample portfolio and the demo users
