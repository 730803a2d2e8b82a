"""The form of a new API token."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .tokens import default_expiry_date, latest_expiry_date


class TokenCreateForm(forms.Form):
    """A name the user will recognise the token by, and the last day it works."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or tool that uses it."),
    )
    expires_at = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = latest_expiry_date()
        field = self.fields["expires_at"]
        field.initial = default_expiry_date()
        field.widget.attrs["max"] = latest.isoformat()
        field.help_text = _(
            "The token works until the end of this day; at most %(days)s days from today."
        ) % {"days": settings.API_TOKEN_MAX_DAYS}
