"""FilterSets of people, their roles and invitations, shared by the People pages and the API."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cap_portal.access import ROLE_CHOICES
from parties.filtersets import PartyCodeFilter
from parties.models import RoleAssignment

from .models import Invitation
from .selectors import InvitationStatus, invitation_status_q


class PeopleFilterSet(django_filters.FilterSet):
    """People by name, by the role they hold now (and for which Party or donor), active or not."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    role = django_filters.ChoiceFilter(choices=ROLE_CHOICES, method="holding", label=_("Holds the role"))
    party = PartyCodeFilter(
        field_name="party__code", method="holding", label=_("Holds a role for the Party (ISO code)")
    )
    donor = django_filters.NumberFilter(method="holding", label=_("Observes for the donor (id)"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = get_user_model()
        fields = ["q", "role", "party", "donor", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )

    def holding(self, queryset, name, value):
        """Role, Party and donor apply together, to one role held today."""
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        role, codes, donor = data.get("role"), data.get("party"), data.get("donor")
        if not (role or codes or donor):
            return queryset
        held = RoleAssignment.objects.current()
        if role:
            held = held.filter(role=role)
        if codes:
            held = held.filter(party__code__in=[code.strip().upper() for code in codes])
        if donor:
            held = held.filter(donor_id=donor)
        return queryset.filter(pk__in=held.values("user_id"))


class RoleAssignmentFilterSet(django_filters.FilterSet):
    """Roles by person, role, Party or donor; ``current`` for the roles held today (or on ``on``)."""

    user = django_filters.NumberFilter(field_name="user_id", label=_("Person (id)"))
    role = django_filters.MultipleChoiceFilter(choices=ROLE_CHOICES, label=_("Role"))
    party = PartyCodeFilter()
    donor = django_filters.NumberFilter(field_name="donor_id", label=_("Donor (id)"))
    current = django_filters.BooleanFilter(method="held", label=_("Held on the date (today by default)"))
    on = django_filters.DateFilter(method="on_date", label=_("The date 'current' refers to"))

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "party", "donor", "current", "on"]

    def on_date(self, queryset, name, value):
        return queryset  # read by ``held``

    def held(self, queryset, name, value):
        current = RoleAssignment.objects.current(self.form.cleaned_data.get("on"))
        if value:
            return queryset.filter(pk__in=current.values("pk"))
        return queryset.exclude(pk__in=current.values("pk"))


class InvitationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=InvitationStatus.choices, method="by_status", label=_("Status")
    )
    role = django_filters.ChoiceFilter(choices=ROLE_CHOICES, label=_("Role"))
    party = PartyCodeFilter()

    class Meta:
        model = Invitation
        fields = ["q", "status", "role", "party"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(email__icontains=value) | Q(first_name__icontains=value) | Q(last_name__icontains=value)
        )

    def by_status(self, queryset, name, value):
        return queryset.filter(invitation_status_q(value)) if value else queryset
