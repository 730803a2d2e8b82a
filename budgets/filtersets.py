"""One FilterSet per funding model, shared by the API and the UI lists."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parties.models import Donor
from workplans.filtersets import party_filter

from .models import (
    BudgetCategory,
    BudgetLine,
    Currency,
    Expenditure,
    Fund,
    FundingSource,
    Installment,
    LegalInstrument,
    NoCostExtension,
)

# Primary keys are 64-bit integers: a larger id is no donor, and must not reach the database
# (SQLite refuses to bind it: a 500, found by the API fuzzer).
PK_RANGE = range(-(2**63), 2**63)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id outside the 64-bit range as an invalid choice, before any query."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except (TypeError, ValueError):
                continue  # not a number: the parent class reports it
            if number not in PK_RANGE:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class DonorFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = BoundedModelMultipleChoiceField


def donor_filter(path: str):
    return DonorFilter(field_name=path, queryset=Donor.objects.all(), label=_("Donor"), distinct=True)


class FundingSourceFilterSet(django_filters.FilterSet):
    fund = django_filters.MultipleChoiceFilter(choices=Fund.choices, label=_("Fund"))
    donor = donor_filter("donor")

    class Meta:
        model = FundingSource
        fields = ["fund", "donor"]


class LegalInstrumentFilterSet(django_filters.FilterSet):
    party = party_filter("cap_case__party")
    donor = donor_filter("funding_sources__donor")
    currency = django_filters.MultipleChoiceFilter(choices=Currency.choices, label=_("Currency"))
    extended = django_filters.BooleanFilter(
        field_name="extensions", lookup_expr="isnull", exclude=True, distinct=True, label=_("Extended")
    )

    class Meta:
        model = LegalInstrument
        fields = ["party", "cap_case", "donor", "counterpart_kind", "currency", "extended"]


class NoCostExtensionFilterSet(django_filters.FilterSet):
    party = party_filter("instrument__cap_case__party")

    class Meta:
        model = NoCostExtension
        fields = ["party", "instrument"]


class InstallmentFilterSet(django_filters.FilterSet):
    party = party_filter("instrument__cap_case__party")
    donor = donor_filter("funding_source__donor")
    received = django_filters.BooleanFilter(
        field_name="received_on", lookup_expr="isnull", exclude=True, label=_("Received")
    )

    class Meta:
        model = Installment
        fields = ["party", "instrument", "funding_source", "donor", "received"]


class BudgetLineFilterSet(django_filters.FilterSet):
    party = party_filter("workplan__cap_case__party")
    donor = donor_filter("funding_source__donor")
    fund = django_filters.MultipleChoiceFilter(
        field_name="funding_source__fund", choices=Fund.choices, label=_("Fund")
    )
    category = django_filters.MultipleChoiceFilter(choices=BudgetCategory.choices, label=_("Category"))

    class Meta:
        model = BudgetLine
        fields = ["party", "workplan", "activity", "category", "funding_source", "fund", "donor", "year"]


class ExpenditureFilterSet(django_filters.FilterSet):
    party = party_filter("budget_line__workplan__cap_case__party")
    donor = donor_filter("budget_line__funding_source__donor")
    spent_after = django_filters.DateFilter(field_name="spent_on", lookup_expr="gte", label=_("Spent from"))
    spent_before = django_filters.DateFilter(field_name="spent_on", lookup_expr="lte", label=_("Spent until"))

    class Meta:
        model = Expenditure
        fields = ["party", "budget_line", "donor", "spent_after", "spent_before"]
