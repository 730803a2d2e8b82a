"""One FilterSet for donor statements, shared by the API and the UI list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from budgets.filtersets import donor_filter
from parties.choices import WorkingLanguage
from workplans.filtersets import party_filter

from .models import DonorStatement, StatementState


class DonorStatementFilterSet(django_filters.FilterSet):
    party = party_filter("instrument__cap_case__party")
    donor = donor_filter("instrument__funding_sources__donor")
    state = django_filters.MultipleChoiceFilter(choices=StatementState.choices, label=_("State"))
    language = django_filters.MultipleChoiceFilter(choices=WorkingLanguage.choices, label=_("Language"))

    class Meta:
        model = DonorStatement
        fields = ["party", "donor", "instrument", "state", "language"]
