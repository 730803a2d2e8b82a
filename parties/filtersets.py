"""One FilterSet per model, shared by the API, the UI list pages and selectors."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .choices import AuthorityKind, Region, WorkingLanguage
from .models import Authority, Contact, Donor, Party


class PartyFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    region = django_filters.MultipleChoiceFilter(choices=Region.choices, label=_("CITES region"))
    language = django_filters.MultipleChoiceFilter(
        choices=WorkingLanguage.choices, label=_("Working language")
    )
    is_ldc = django_filters.BooleanFilter(label=_("LDC"))
    is_lldc = django_filters.BooleanFilter(label=_("LLDC"))
    is_sids = django_filters.BooleanFilter(label=_("SIDS"))

    class Meta:
        model = Party
        fields = ["q", "region", "language", "is_ldc", "is_lldc", "is_sids"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_fr__icontains=value)
            | Q(name_es__icontains=value)
            | Q(code__iexact=value)
        )


@extend_schema_field(OpenApiTypes.STR)
class PartyCodeFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    """One or more Party ISO codes, comma-separated (``?party=TG,NG``), any case; an unknown
    code simply matches nothing."""

    def __init__(self, field_name="party__code", **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        kwargs.setdefault("label", _("Party (ISO codes)"))
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, [code.strip().upper() for code in value] if value else value)


class PartyScopedFilterSet(django_filters.FilterSet):
    """Base for records that belong to a Party: filter by the Party's ISO code(s)."""

    party = PartyCodeFilter()


class AuthorityFilterSet(PartyScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=AuthorityKind.choices, label=_("Kind"))

    class Meta:
        model = Authority
        fields = ["q", "party", "kind"]


class ContactFilterSet(PartyScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Contact
        fields = ["q", "party", "authority", "is_focal_point"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(email__icontains=value) | Q(position__icontains=value)
        )


class DonorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Donor
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(short_name__iexact=value))
