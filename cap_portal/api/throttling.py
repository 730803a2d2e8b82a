"""Request throttling of the API: per signed-in user (or token), per address for anonymous
clients. The rates are read from ``settings.API_THROTTLE_RATES`` at each request, so an operator
changes them in the environment (``API_THROTTLE_USER``, ``API_THROTTLE_ANON``) and a test with
``settings``; DRF's own classes read them once, at import. Counts live in the cache (Redis in
production, shared by every gunicorn worker). A throttled request answers 429 with Retry-After.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class UserThrottle(_SettingsRate, UserRateThrottle):
    """Requests per signed-in user (a token counts for its user)."""


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    """Requests per address for clients that are not signed in (the token endpoint, the schema)."""
