"""Forms of the People pages: they parse input; the services in accounts/services.py validate
and write (their errors come back under the field they name)."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cap_portal.access import DONOR_ROLES, PARTY_ROLES, ROLE_CHOICES, Action
from parties.models import Donor, Party


class _BootstrapMixin:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class RoleScopeForm(_BootstrapMixin, forms.Form):
    """A role, and the Party or donor it is held for where the role needs one (the service says
    which: a Secretariat role takes neither, a focal point a Party, a donor observer a donor)."""

    role = forms.ChoiceField(label=_("Role"), choices=[("", "---------"), *ROLE_CHOICES])
    party = forms.ModelChoiceField(
        label=_("Party"),
        queryset=Party.objects.all(),
        required=False,
        help_text=_("For a focal point role."),
    )
    donor = forms.ModelChoiceField(
        label=_("Donor"),
        queryset=Donor.objects.all(),
        required=False,
        help_text=_("For a donor observer."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["party"].queryset = Party.objects.restrict(
                user, Action.VIEW
            ).order_by_localized_name()
            self.fields["donor"].queryset = Donor.objects.restrict(user, Action.VIEW)
        # static/js/invite.js shows the Party or the donor field according to the role.
        self.fields["role"].widget.attrs.update(
            {
                "data-role-scope": "role",
                "data-party-roles": " ".join(sorted(PARTY_ROLES)),
                "data-donor-roles": " ".join(sorted(DONOR_ROLES)),
            }
        )
        self.fields["party"].widget.attrs["data-role-scope"] = "party"
        self.fields["donor"].widget.attrs["data-role-scope"] = "donor"
        self._style()


class InvitationForm(RoleScopeForm):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )

    field_order = ["email", "first_name", "last_name", "role", "party", "donor", "language"]


class RoleGrantForm(RoleScopeForm):
    starts_on = forms.DateField(
        label=_("Holds the role from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when left empty."),
    )


class RoleEndForm(_BootstrapMixin, forms.Form):
    ends_on = forms.DateField(
        label=_("Role ends on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day the person no longer holds the role; a later date ends it then."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class InvitationAcceptForm(_BootstrapMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=get_user_model()._meta.get_field("username").max_length,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_confirm = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, signed_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        if signed_in:
            # The role goes to the account already signed in: nothing to choose.
            self.fields.clear()
        self._style()
