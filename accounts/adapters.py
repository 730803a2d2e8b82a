"""django-allauth adapters: no self sign-up, e-mails in the recipient's language, password changes
recorded, and single sign-on that only ever signs an existing person in.

People arrive by invitation (accounts.services.invitation_accept), so sign-up is closed, through
the portal's own form and through the identity provider alike.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cap_portal.clientip import client_address
from portfolio.preferences import preferred_language

from .signin import email_address_confirm, password_change_record


def _recipient(email: str, context_data: dict):
    user = context_data.get("user")
    if user is None and email:
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    return user


class AccountAdapter(DefaultAccountAdapter):
    """The portal's rules for allauth's account flows."""

    def is_open_for_signup(self, request) -> bool:
        """Nobody signs themselves up: an invitation creates the account."""
        return False

    def get_client_ip(self, request) -> str:
        """The client's address for allauth's rate limits and notices: the portal's one rule
        (cap_portal.clientip), as for django-axes and the API's throttling."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address")
        return address

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Send in the recipient's preferred language (a password reset is asked for by someone
        not signed in, whose browser's language may not be theirs)."""
        user = _recipient(email, context)
        language = (user and preferred_language(user)) or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    @transaction.atomic
    def set_password(self, user, password: str) -> None:
        """Set the password (a change while signed in, or a reset through the e-mailed link)
        and record it in the account's history."""
        super().set_password(user, password)
        request = context.request
        by = getattr(request, "user", None)
        if by is not None and by.is_authenticated and by.pk == user.pk:
            password_change_record(user=user, by=user, message="Password changed")
        else:
            password_change_record(user=user, by=None, message="Password reset through the e-mailed link")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on (OpenID Connect) signs in an existing active person, found by the e-mail
    address the identity provider vouches for, and never creates an account."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        """Refuse, with a clear message, a sign-in that matches no active person; otherwise mark
        the matched address verified (the invitation proved it, the provider vouches for it)
        so that allauth does not wipe the person's password as it would for an address
        nobody ever confirmed."""
        user = sociallogin.user if sociallogin.is_existing else None
        email = getattr(sociallogin, "_did_authenticate_by_email", None)
        # Matched by e-mail: only the account's own address (set by the invitation or the
        # Secretariat) counts, not one a user added to their account on allauth's e-mail page.
        if user is not None and email and (user.email or "").lower() != email.lower():
            user = None
        if user is None or not user.is_active:
            emails = ", ".join(e.email for e in sociallogin.email_addresses) or _("none")
            messages.error(
                request,
                _(
                    "No active account in the portal has the e-mail address your organisation's "
                    "sign-in gave (%(emails)s). Sign in with your password, or ask the Secretariat "
                    "for an invitation."
                )
                % {"emails": emails},
            )
            raise ImmediateHttpResponse(redirect("login"))
        if email:
            email_address_confirm(user=user, email=email)
