"""Two-factor authentication required of the Secretariat (``MFA_REQUIRED_FOR_SECRETARIAT``).

The Secretariat's roles see every Party's file, so when the setting is on, a signed-in holder of
one who has no authenticator app is sent to set one up and can reach nothing else until they
have. Signing in itself asks for the code once an authenticator is set up (django-allauth).
API requests with a token are not signed in through the session, so they are not affected.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from cap_portal.access import get_user_roles

# Where a user who must set up an authenticator app may still go: the setup page (and the
# password confirmation allauth may ask for first), signing out, static files, /healthz.
ALLOWED_URL_NAMES = ("mfa_activate_totp", "account_reauthenticate", "account_logout", "logout")


def has_totp(user) -> bool:
    """Whether the user has set up an authenticator app."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def totp_setup_required(user) -> bool:
    """Whether ``user`` must set up an authenticator app before using the portal."""
    return (
        settings.MFA_REQUIRED_FOR_SECRETARIAT
        and user.is_authenticated
        and get_user_roles(user).is_secretariat
        and not has_totp(user)
    )


class SecretariatMFAMiddleware:
    """Send a Secretariat user without an authenticator app to its setup page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_REQUIRED_FOR_SECRETARIAT:
            user = getattr(request, "user", None)
            # read by the setup page, to say why the user is there
            request.mfa_setup_required = user is not None and totp_setup_required(user)
            if request.mfa_setup_required and not self._always_allowed(request.path_info):
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _always_allowed(path: str) -> bool:
        allowed = [reverse(name) for name in ALLOWED_URL_NAMES]
        allowed += ["/" + settings.STATIC_URL.lstrip("/"), reverse("healthz")]
        return any(path == url or (url.endswith("/") and path.startswith(url)) for url in allowed)
