"""Writes about people: invitations, roles with dates, accounts switched off and on.

Every write names the acting user on the history (``acting_user``). Roles and invitations have
their own history; Django's User model has none (adding one would need a migration in
``auth``), so a change to an account is recorded in Django's admin log (``LogEntry``) and, for a
deactivation, in the history of every role it ended (with the reason).
"""

import datetime

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cap_portal.access import forget_user_roles
from cap_portal.history import acting_user
from parties.models import Donor, Party, RoleAssignment
from parties.services import role_assign
from portfolio.notify import notify

from .emails import invitation_email_send
from .models import Invitation, new_secret, secret_digest
from .tokens import token_revoke
from .workflow import ROLE_ENDED, ROLE_GRANTED

# History reasons (history_change_reason holds 100 characters), in the default language.
REASON_DEACTIVATED = "Account deactivated"
REASON_ENDED = "Role ended"


def _role_scope_check(*, role: str, party: Party | None, donor: Donor | None) -> None:
    """Whether the role may be held for this Party or donor: the rule of ``RoleAssignment.clean``,
    asked of an unsaved assignment, so that it is written once."""
    RoleAssignment(role=role, party=party, donor=donor).clean()


def _expiry():
    return timezone.now() + datetime.timedelta(days=settings.INVITATION_TTL_DAYS)


def _open_invitations(*, email: str, role: str, party, donor):
    return Invitation.objects.filter(
        email__iexact=email,
        role=role,
        party=party,
        donor=donor,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def _log_account_change(*, user, by, message: str) -> None:
    """Record a change to a user account in Django's admin log (the User model has no history)."""
    if by is not None and getattr(by, "is_authenticated", False):
        LogEntry.objects.log_actions(
            user_id=by.pk, queryset=[user], action_flag=CHANGE, change_message=message
        )


@transaction.atomic
def invitation_create(
    *,
    email: str,
    role: str,
    party: Party | None = None,
    donor: Donor | None = None,
    first_name: str = "",
    last_name: str = "",
    language: str,
    by,
) -> tuple[Invitation, str]:
    """Invite ``email`` to take ``role`` (for ``party`` or ``donor`` where the role needs one) and
    send the link in the invitation's ``language``. Returns the invitation and the link's secret
    (never stored: only its digest). Refused, field by field, for a role held for the wrong kind
    of scope, an address with an open invitation for the same role, or a person who holds it."""
    email = email.strip()
    _role_scope_check(role=role, party=party, donor=donor)
    if _open_invitations(email=email, role=role, party=party, donor=donor).exists():
        raise ValidationError(
            {"email": _("This address already has an open invitation for this role: resend it instead.")}
        )
    holders = RoleAssignment.objects.current().filter(
        user__email__iexact=email, user__is_active=True, role=role, party=party, donor=donor
    )
    if holders.exists():
        raise ValidationError({"email": _("The person with this address already holds this role.")})
    secret = new_secret()
    invitation = Invitation(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        party=party,
        donor=donor,
        language=language,
        invited_by=by,
        key_digest=secret_digest(secret),
        expires_at=_expiry(),
    )
    invitation.full_clean()
    with acting_user(by):
        invitation.save()
    # Inside the transaction: an e-mail that cannot be sent leaves no invitation behind.
    invitation_email_send(invitation=invitation, secret=secret)
    return invitation, secret


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by) -> tuple[Invitation, str]:
    """Send an open or expired invitation again, with a new link (the old one stops working) and
    a new expiry date."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was accepted: there is nothing to resend."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn: invite the person again."))
    secret = new_secret()
    invitation.key_digest = secret_digest(secret)
    invitation.expires_at = _expiry()
    with acting_user(by):
        invitation.save()
    invitation_email_send(invitation=invitation, secret=secret)
    return invitation, secret


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    """Withdraw an invitation: its link stops working. An accepted one cannot be withdrawn (end
    the role instead)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was accepted: end the person's role instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        with acting_user(by):
            invitation.save()
    return invitation


def invitation_for_secret(secret: str) -> Invitation | None:
    """The invitation a link's secret opens (whatever its state), or None."""
    return (
        Invitation.objects.select_related("invited_by", "party", "donor")
        .filter(key_digest=secret_digest(secret))
        .first()
    )


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why a link no longer works (None while it does)."""
    if invitation is None:
        return gettext("This invitation link is not valid. Check that you copied the whole address.")
    if invitation.accepted_at is not None:
        return gettext("This invitation was already used. Sign in with the username and password you chose.")
    if invitation.revoked_at is not None:
        return gettext("This invitation was withdrawn. Ask the CITES Secretariat for a new one.")
    if not invitation.is_open:
        return gettext("This invitation has expired. Ask the CITES Secretariat to send it again.")
    return None


@transaction.atomic
def invitation_accept(
    *, secret: str, username: str = "", password: str = "", password_confirm: str | None = None, user=None
):
    """Accept the invitation the link's ``secret`` opens, once: create the person's account with
    ``username`` and ``password`` (Django's password validators apply) and give them the role.
    A person already signed in (``user``) with the invitation's e-mail address gets the role on
    their account instead. Returns the user. Nothing is written when anything is refused."""
    digest = secret_digest(secret)
    invitation = Invitation.objects.select_for_update().filter(key_digest=digest).first()
    refusal = invitation_refusal(invitation)
    if refusal:
        raise ValidationError(refusal, code="invitation_closed")
    User = get_user_model()
    if user is not None and getattr(user, "is_authenticated", False):
        if (user.email or "").lower() != invitation.email.lower():
            raise ValidationError(
                _("You are signed in as someone else: sign out, then open the link again."), code="other_user"
            )
        person = user
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("An account with this e-mail address exists: sign in, then open the link again."),
                code="account_exists",
            )
        person = _account_create(
            invitation=invitation, username=username, password=password, password_confirm=password_confirm
        )
    if not person.is_active:
        raise ValidationError(_("This account is deactivated: ask the CITES Secretariat."), code="inactive")
    role_assign(
        user=person,
        role=invitation.role,
        party=invitation.party,
        donor=invitation.donor,
        by=invitation.invited_by,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    with acting_user(person):
        invitation.save()
    return person


def _account_create(*, invitation: Invitation, username: str, password: str, password_confirm: str | None):
    User = get_user_model()
    username = User.normalize_username((username or "").strip())
    errors: dict[str, list] = {}
    candidate = User(
        username=username,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    try:
        candidate.clean_fields(exclude=["password", "last_login", "date_joined"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if username and User.objects.filter(username__iexact=username).exists():
        errors.setdefault("username", []).append(gettext("This username is taken: choose another."))
    if not password:
        errors.setdefault("password", []).append(gettext("Choose a password."))
    elif password_confirm is not None and password != password_confirm:
        errors.setdefault("password_confirm", []).append(gettext("The two passwords differ."))
    else:
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            errors.setdefault("password", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    candidate.set_password(password)
    candidate.save()
    return candidate


@transaction.atomic
def role_grant(
    *,
    user,
    role: str,
    party: Party | None = None,
    donor: Donor | None = None,
    starts_on: datetime.date | None = None,
    by,
) -> RoleAssignment:
    """Give a person a role from ``starts_on`` (today by default); an ended role is reopened.
    A deactivated account gets no role: reactivate it first."""
    if not user.is_active:
        raise ValidationError(_("This account is deactivated: reactivate it before giving it a role."))
    assignment = role_assign(user=user, role=role, party=party, donor=donor, starts_on=starts_on, by=by)
    notify(ROLE_GRANTED, obj=assignment, actor=by)
    return assignment


@transaction.atomic
def role_end(
    *, assignment: RoleAssignment, ends_on: datetime.date, by, reason: str = REASON_ENDED
) -> RoleAssignment:
    """End a role on ``ends_on``, the first day it no longer holds: today or earlier ends it now,
    a later date ends it then. Not before the role started (field error on ``ends_on``)."""
    assignment = RoleAssignment.objects.select_for_update().select_related("user").get(pk=assignment.pk)
    if ends_on is None:
        raise ValidationError({"ends_on": _("Give the date the role ends.")})
    assignment.ends_on = ends_on
    assignment.full_clean()
    assignment._change_reason = reason
    with acting_user(by):
        assignment.save()
    forget_user_roles(assignment.user)
    notify(ROLE_ENDED, obj=assignment, actor=by)
    return assignment


@transaction.atomic
def user_deactivate(*, user, by):
    """Switch an account off: the person can no longer sign in (their sessions end with it),
    the roles they hold or are to hold end today, and their API tokens are revoked."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if by is not None and user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    today = timezone.localdate()
    user.is_active = False
    user.save(update_fields=["is_active"])
    open_roles = RoleAssignment.objects.select_for_update().not_ended(today).filter(user=user)
    with acting_user(by):
        for assignment in open_roles:
            # A role that had not started yet ends the day it would have started: never held.
            assignment.ends_on = max(today, assignment.starts_on)
            assignment._change_reason = REASON_DEACTIVATED
            assignment.save()
    for token in user.api_tokens.filter(revoked_at__isnull=True):
        token_revoke(token=token, by=by, reason=REASON_DEACTIVATED)
    _log_account_change(user=user, by=by, message=REASON_DEACTIVATED)
    forget_user_roles(user)
    return user


@transaction.atomic
def user_reactivate(*, user, by):
    """Switch an account back on. It holds no role until one is given again (``role_grant``)."""
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        _log_account_change(user=user, by=by, message="Account reactivated")
    forget_user_roles(user)
    return user
