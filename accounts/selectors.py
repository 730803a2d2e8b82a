"""Reads about people: who may see and manage them, the roles they hold, where an invitation stands.

The User model is Django's and declares no access policy; people are governed by
:data:`PEOPLE_POLICY`, read by the People pages and the ``people`` API alike.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES, SECRETARIAT_ROLES, AccessPolicy
from parties.models import RoleAssignment

# The Secretariat sees who holds which role; case managers change people's roles and accounts
# (the same rule as parties.RoleAssignment's, for the accounts themselves).
PEOPLE_POLICY = AccessPolicy(
    party_path=None, view=SECRETARIAT_ROLES, add=CASE_MANAGER_ROLES, change=CASE_MANAGER_ROLES
)


def people_restrict(user, action: str):
    """The user accounts ``user`` may take ``action`` on: all of them or none."""
    people = get_user_model().objects.all()
    return people if PEOPLE_POLICY.q(user, action) is not None else people.none()


def people_for_table(queryset, on=None):
    """People with the roles they hold ``on`` (today) in ``current_roles``: a fixed number of
    queries whatever the length of the list."""
    current = (
        RoleAssignment.objects.current(on).select_related("party", "donor").order_by("role", "party__name")
    )
    return queryset.prefetch_related(
        Prefetch("cap_roles", queryset=current, to_attr="current_roles")
    ).order_by("last_name", "first_name", "username")


class InvitationStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACCEPTED = "accepted", _("accepted")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


def invitation_status_q(status: str, now=None) -> Q:
    """The invitations in ``status`` (as of ``now``), for filters."""
    now = now or timezone.now()
    unused = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    return {
        InvitationStatus.OPEN: unused & Q(expires_at__gt=now),
        InvitationStatus.ACCEPTED: Q(accepted_at__isnull=False),
        InvitationStatus.WITHDRAWN: Q(accepted_at__isnull=True, revoked_at__isnull=False),
        InvitationStatus.EXPIRED: unused & Q(expires_at__lte=now),
    }[status]


def invitation_status(invitation) -> InvitationStatus:
    """Where one invitation stands (the same four cases as :func:`invitation_status_q`)."""
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationStatus.WITHDRAWN
    return InvitationStatus.OPEN if invitation.is_open else InvitationStatus.EXPIRED
