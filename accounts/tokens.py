"""The API tokens a user manages: created with a name and an expiry (the secret shown once),
revoked by their user or by a case manager, and recorded when used.

Only a token's digest and first characters are stored (``accounts.models.ApiToken``): the secret
``token_create`` returns is the one and only copy. ``cap_portal.api.authentication`` finds a token
by the digest of the secret a request carries.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from cap_portal.access import Action
from cap_portal.history import acting_user

from .models import ApiToken, new_secret, secret_digest

# ``last_used_at`` is written at most this often per token: an API client sending hundreds of
# requests a minute costs one UPDATE a minute, not one per request.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


def token_status(token: ApiToken) -> TokenStatus:
    """Revoked, expired or active: the one rule, shown by the pages and the API alike."""
    if token.revoked_at is not None:
        return TokenStatus.REVOKED
    if token.expires_at <= timezone.now():
        return TokenStatus.EXPIRED
    return TokenStatus.ACTIVE


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in the portal's time zone: a token "expiring on" a date works
    through that whole day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def latest_expiry_date() -> datetime.date:
    """The latest expiry date a new token may have: ``API_TOKEN_MAX_DAYS`` from today."""
    return timezone.localdate() + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)


def default_expiry_date() -> datetime.date:
    """The expiry date of a token when its user names none: ``API_TOKEN_TTL_DAYS`` from today
    (never beyond the latest allowed)."""
    default = timezone.localdate() + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    return min(default, latest_expiry_date())


def _expiry_errors(expires_at: datetime.datetime) -> list:
    if expires_at <= timezone.now():
        return [_("The expiry must be in the future.")]
    if expires_at > end_of_day(latest_expiry_date()):
        return [
            _("A token can live at most %(days)s days: choose %(date)s or earlier.")
            % {
                "days": settings.API_TOKEN_MAX_DAYS,
                "date": formats.date_format(latest_expiry_date(), "SHORT_DATE_FORMAT"),
            }
        ]
    return []


def _name_taken(name: str) -> ValidationError:
    return ValidationError(
        {"name": _("You already have a token named “%(name)s”: choose another name.") % {"name": name}},
        code="unique",
    )


@transaction.atomic
def token_create(
    *, user, name: str, expires_at: datetime.datetime | None = None, by=None
) -> tuple[ApiToken, str]:
    """Create a named API token for ``user``; returns the token and its secret, which is not
    stored and cannot be shown again. The expiry defaults to ``API_TOKEN_TTL_DAYS`` from today;
    one in the past or beyond ``API_TOKEN_MAX_DAYS`` is refused, as is a name the user already
    gave another token (field-level errors, nothing written). ``by``: who acted (the user)."""
    name = (name or "").strip()
    if expires_at is None:
        expires_at = end_of_day(default_expiry_date())
    secret = new_secret()
    token = ApiToken(
        user=user, name=name, prefix=secret[:8], key_digest=secret_digest(secret), expires_at=expires_at
    )
    errors: dict[str, list] = {}
    try:
        # The (user, name) constraint is checked below, with a message that names the field.
        token.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if "expires_at" not in errors:
        if expiry := _expiry_errors(expires_at):
            errors["expires_at"] = expiry
    if name and ApiToken.objects.filter(user=user, name=name).exists():
        errors.setdefault("name", []).extend(_name_taken(name).message_dict["name"])
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic(), acting_user(by or user):
            token.save()
    except IntegrityError as error:  # the same name, given by a concurrent request
        raise _name_taken(name) from error
    return token, secret


def token_create_for_sign_in(*, user) -> tuple[ApiToken, str]:
    """A token for a script that signed in with a username and password
    (``POST /api/v1/auth/token/``): named after the moment, with the default expiry. Each
    sign-in makes a new token (a secret cannot be given twice: only its digest is kept)."""
    when = formats.date_format(timezone.localtime(), "Y-m-d H:i:s")
    base = str(_("Signed in through the API on %(when)s") % {"when": when})
    taken = set(ApiToken.objects.filter(user=user, name__startswith=base).values_list("name", flat=True))
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base} ({number})"
    return token_create(user=user, name=name, by=user)


@transaction.atomic
def token_revoke(*, token: ApiToken, by, reason: str = "") -> ApiToken:
    """Revoke the token: from now on it answers 401. Revoking a revoked token changes nothing.
    ``reason`` goes to the token's history (e.g. the account was deactivated)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        if reason:
            token._change_reason = reason
        with acting_user(by):
            token.save(update_fields=["revoked_at", "updated"])
    return token


def token_record_use(token: ApiToken) -> None:
    """Note that the token was just used: one UPDATE when its ``last_used_at`` is older than a
    minute, nothing otherwise. A plain UPDATE: no history record and no new ETag for each use."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is (with its user), whatever its state; ``None`` if none."""
    return ApiToken.objects.select_related("user").filter(key_digest=secret_digest(secret)).first()


def tokens_of(user, *, viewer=None):
    """A person's API tokens, newest first (for the person page of the Secretariat). With
    ``viewer``, only those the viewer may see (case managers see everyone's)."""
    tokens = ApiToken.objects.filter(user=user)
    if viewer is not None:
        tokens = tokens.restrict(viewer, Action.VIEW)
    return tokens.order_by("-created")
