"""Request throttling of the API: per signed-in user (whatever the session or token), per API
token (a script cannot use up its owner's whole allowance: ``API_THROTTLE_TOKEN``), per address
for anonymous clients. The rates are read from ``settings.API_THROTTLE_RATES`` at each request, so
an operator changes them in the environment (``API_THROTTLE_USER``, ``API_THROTTLE_TOKEN``,
``API_THROTTLE_ANON``) and a test with
``settings``; DRF's own classes read them once, at import. Counts live in the cache (Redis in
production, shared by every gunicorn worker). A throttled request answers 429 with Retry-After.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from cap_portal.clientip import client_address


class _SettingsRate:
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        """The client's address by the portal's one rule (``TRUSTED_PROXY_COUNT``), not DRF's."""
        return client_address(request)


class UserThrottle(_SettingsRate, UserRateThrottle):
    """Requests per signed-in user (a token counts for its user)."""


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    """Requests per address for clients that are not signed in (the token endpoint, the schema)."""


class TokenThrottle(_SettingsRate, UserRateThrottle):
    """Requests per API token (``accounts.ApiToken``); requests without one are not counted here."""

    scope = "token"

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)
        if token is None or not hasattr(token, "key_digest"):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
