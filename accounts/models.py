"""People and accounts: invitations to take a role, and the API tokens a user manages.

Roles themselves are ``parties.RoleAssignment`` (with the dates they hold); signing in, password
reset, multi-factor authentication and single sign-on are django-allauth's.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES, ROLE_CHOICES, SECRETARIAT_ROLES, AccessPolicy
from cap_portal.models import BaseModel


def new_secret() -> str:
    """A URL-safe random secret (the invitation link's key, an API token)."""
    return secrets.token_urlsafe(32)


def secret_digest(secret: str) -> str:
    """What is stored of a secret: its SHA-256, so a copy of the database grants nothing."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Invitation(BaseModel):
    """An invitation, sent by e-mail, to take a role (for a Party or donor where the role
    needs one). The link carries a secret of which only the digest is stored; it works once,
    until ``expires_at``."""

    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=ROLE_CHOICES)
    party = models.ForeignKey(
        "parties.Party", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("Party")
    )
    donor = models.ForeignKey(
        "parties.Donor", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("donor")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="en")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    access_policy = AccessPolicy.written_by(CASE_MANAGER_ROLES, party_path=None, view=SECRETARIAT_ROLES)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} — {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        """Whether the link still works: not accepted, not withdrawn, not expired."""
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApiToken(BaseModel):
    """A named API token a user created for a script or a tool (``Authorization: Token …``).

    The token is shown once, when created; only its digest and its first characters (to tell
    tokens apart) are kept. It works until ``expires_at`` or until revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    # Every user manages their own tokens; case managers see everyone's (to revoke a token of
    # a person who left), no one else's.
    access_policy = AccessPolicy(
        party_path=None, view=CASE_MANAGER_ROLES, delete=CASE_MANAGER_ROLES, owner_path="user"
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="api_token_name_unique")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
