"""API token authentication: ``Authorization: Token <secret>`` with a named token a user created
(``accounts.ApiToken``, see ``accounts.tokens``).

A subclass of DRF's ``TokenAuthentication`` for its header parsing and its ``WWW-Authenticate:
Token`` answer, so drf-spectacular's own extension keeps documenting the scheme; the token is
found by the digest of the secret (the database holds no secret), never in DRF's authtoken table.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <secret>``: 401 with a message saying why for an unknown, revoked
    or expired token, or one whose user's account is deactivated. A token that works has its
    ``last_used_at`` brought up to date (at most once a minute)."""

    def authenticate_credentials(self, key):
        from accounts.tokens import token_for_secret, token_record_use

        token = token_for_secret(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise AuthenticationFailed(_("This token was revoked: create a new one at /account/tokens/."))
        if token.expires_at <= timezone.now():
            raise AuthenticationFailed(
                _("This token expired on %(date)s: create a new one at /account/tokens/.")
                % {"date": formats.date_format(timezone.localtime(token.expires_at), "SHORT_DATE_FORMAT")}
            )
        if not token.user.is_active:
            raise AuthenticationFailed(_("The account this token belongs to is deactivated."))
        token_record_use(token)
        return token.user, token
