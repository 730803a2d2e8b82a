"""Signing in: the name django-axes locks on, and the record of a password change.

django-allauth's sign-in form names its field ``login`` (a username or an e-mail address); the
API's token endpoint names it ``username``. Both reach ``authenticate()`` as ``username``;
:func:`axes_username` turns either into the account's username, so that failures with the
e-mail address and with the username count against the same (name, address) pair and the
pair is reset by the successful sign-in.
"""

import math

from allauth.account import forms as allauth_forms
from allauth.account.models import EmailAddress
from axes.helpers import get_cool_off, get_failure_limit
from django import forms
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def axes_username(request, credentials: dict | None = None) -> str:
    """The name django-axes counts failures for: the username of the account the sign-in
    names (by username or e-mail address), else what was typed, lower-cased."""
    credentials = credentials or {}
    typed = credentials.get("username") or credentials.get("email")
    if not typed:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        typed = data.get("login") or data.get("username") or ""
    typed = str(typed).strip()
    if not typed:
        return ""
    matches = list(
        get_user_model()
        .objects.filter(Q(username=typed) | Q(email__iexact=typed))
        .values_list("username", flat=True)[:2]
    )
    if typed in matches:
        return typed
    if len(matches) == 1:
        return matches[0]
    return typed.lower()


def password_change_record(*, user, by, message: str) -> None:
    """Record a change of ``user``'s password in the admin log (the account's history), naming
    who did it (``by``: the user themselves, or ``None`` for a reset through an e-mailed link,
    which the user then made without being signed in)."""
    LogEntry.objects.log_actions(
        user_id=(by or user).pk, queryset=[user], action_flag=CHANGE, change_message=message
    )


@transaction.atomic
def email_address_confirm(*, user, email: str) -> None:
    """Record ``email`` as a verified address of ``user`` (for allauth). An account's address was
    proved by the invitation (or set by the Secretariat); when the identity provider vouches for
    it too, allauth must know it is verified, or it wipes the password as it does for an
    address nobody ever confirmed."""
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(user=user, email=email.lower(), verified=True, primary=not has_primary)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def bootstrap_widgets(form):
    """Give ``form``'s widgets the Bootstrap classes the portal's forms carry
    (cap_portal.forms.BaseModelForm); returns the form."""
    if form is None:
        return form
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


class LoginForm(allauth_forms.LoginForm):
    """allauth's sign-in form, its field labelled for what it takes: a username or an e-mail
    address (allauth's own catalogues translate the label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or email")
        self.fields["login"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes's answer while the (username, address) pair is locked: a page saying so and
    for how long (HTTP 429)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": math.ceil(cool_off.total_seconds() / 60) if cool_off else None,
    }
    return render(request, "account/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
