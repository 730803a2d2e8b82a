"""API token authentication with an expiry (``API_TOKEN_TTL_DAYS`` after the token was issued)."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


def token_expired(token) -> bool:
    """Whether the token is older than ``API_TOKEN_TTL_DAYS`` (never, when the setting is 0)."""
    days = settings.API_TOKEN_TTL_DAYS
    return bool(days) and token.created < timezone.now() - datetime.timedelta(days=days)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token …``, refused with 401 once the token has expired."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token
