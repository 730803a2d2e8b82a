"""One FilterSet per model, shared by the API, the UI list pages and selectors."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cap_portal.access import CASE_MANAGER_ROLES, Action, users_holding
from parties.models import Party
from workplans.choices import ReviewStatus

from .choices import (
    AreaOfConcern,
    CapStage,
    CaseStatus,
    Level,
    MeasureKind,
    MechanismKind,
    MeetingBody,
    ProgressRatingScale,
    RecommendationStatus,
    SelectionDecision,
    StakeholderKind,
)
from .models import (
    CapCase,
    ComplianceCase,
    ComplianceMeasure,
    ComplianceMechanism,
    EligibilityAssessment,
    Meeting,
    ProgressRating,
    Recommendation,
    Result,
    Stakeholder,
    TechnicalMission,
)


class BootstrapFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter form's widgets, for the UI list pages."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            widget.attrs.setdefault("class", css)
        return form


def visible(model, *related: str):
    """Choices limited to the objects the requesting user may view (all, outside a request);
    ``related``: what the choices' labels read, fetched in the same query (a compliance case's
    label names its Party and mechanism: without it, one query per choice)."""

    def queryset(request):
        if request is None:
            objects = model.objects.all()
        else:
            objects = model.objects.restrict(request.user, Action.VIEW)
        return objects.select_related(*related) if related else objects

    return queryset


def case_managers(request):
    return users_holding(CASE_MANAGER_ROLES)


@extend_schema_field(OpenApiTypes.STR)
class CodeMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Objects chosen by their code (``?party=TG&party=NG``, ``?mechanism=rst``); a string in the schema."""


def parties_in_reader_order(request):
    """The Party choices, in the order of the request's language (evaluated per request)."""
    return Party.objects.order_by_localized_name()


def party_filter(path: str = "party"):
    """Filter by the Party's ISO code(s), following ``path`` to the Party.

    The lookup goes to ``<path>__code``: django-filter compares the chosen objects'
    ``to_field_name`` value with ``field_name``, so a plain ``party`` would compare a code with an id.
    On the pages the select is searchable (``data-searchable``: static/js/select-search.js).
    """
    return CodeMultipleChoiceFilter(
        field_name=f"{path}__code",
        to_field_name="code",
        queryset=parties_in_reader_order,
        label=_("Party"),
        widget=forms.SelectMultiple(attrs={"data-searchable": True}),
    )


def mechanism_filter(path: str = "mechanism"):
    """Filter by the mechanism's code(s) (``rst``, ``article-xiii``…)."""
    return CodeMultipleChoiceFilter(
        field_name=f"{path}__code",
        to_field_name="code",
        queryset=ComplianceMechanism.objects.all(),
        label=_("Mechanism or process"),
    )


class MeetingFilterSet(BootstrapFilterSet):
    body = django_filters.MultipleChoiceFilter(choices=MeetingBody.choices, label=_("Body"))
    # A bounded whole number: a huge or fractional year is a 400 on the filter, not a database error.
    year = django_filters.NumberFilter(
        field_name="starts_on",
        lookup_expr="year",
        label=_("Year"),
        min_value=1973,  # the Convention was signed in 1973
        max_value=2200,
        decimal_places=0,
    )

    class Meta:
        model = Meeting
        fields = ["body", "number", "year"]


class ComplianceMechanismFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=MechanismKind.choices, label=_("Kind"))

    class Meta:
        model = ComplianceMechanism
        fields = ["q", "kind", "concerns_species"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(legal_basis__icontains=value)
        )


class ComplianceCaseFilterSet(BootstrapFilterSet):
    party = party_filter()
    mechanism = mechanism_filter()
    kind = django_filters.ChoiceFilter(
        field_name="mechanism__kind", choices=MechanismKind.choices, label=_("Mechanism or process")
    )
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices, label=_("Status"))
    species = django_filters.CharFilter(lookup_expr="icontains", label=_("Species"))
    opened_at = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all(), label=_("Opened at"))

    class Meta:
        model = ComplianceCase
        fields = ["party", "mechanism", "kind", "status", "species", "opened_at"]


class RecommendationFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    party = party_filter()
    area = django_filters.MultipleChoiceFilter(choices=AreaOfConcern.choices, label=_("Area of concern"))
    status = django_filters.MultipleChoiceFilter(choices=RecommendationStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Past its deadline"))
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("Deadline on or before")
    )
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("Deadline on or after")
    )
    adopted_at = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all(), label=_("Adopted at"))
    compliance_case = django_filters.ModelChoiceFilter(
        queryset=visible(ComplianceCase, "party", "mechanism"), label=_("Compliance case")
    )

    class Meta:
        model = Recommendation
        fields = ["q", "party", "area", "status", "overdue", "adopted_at", "compliance_case"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(text__icontains=value) | Q(reference__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class ComplianceMeasureFilterSet(BootstrapFilterSet):
    party = party_filter()
    kind = django_filters.MultipleChoiceFilter(choices=MeasureKind.choices, label=_("Kind"))
    species = django_filters.CharFilter(lookup_expr="icontains", label=_("Species"))
    in_effect = django_filters.BooleanFilter(method="filter_in_effect", label=_("In effect today"))
    compliance_case = django_filters.ModelChoiceFilter(
        queryset=visible(ComplianceCase, "party", "mechanism"), label=_("Compliance case")
    )

    class Meta:
        model = ComplianceMeasure
        fields = ["party", "kind", "species", "in_effect", "compliance_case", "notification"]

    def filter_in_effect(self, queryset, name, value):
        if value is None:
            return queryset
        current = queryset.in_effect(timezone.localdate())
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class ProgressRatingFilterSet(BootstrapFilterSet):
    party = party_filter("compliance_case__party")
    mechanism = mechanism_filter("compliance_case__mechanism")
    rating = django_filters.MultipleChoiceFilter(choices=ProgressRatingScale.choices, label=_("Rating"))
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all(), label=_("Meeting"))
    compliance_case = django_filters.ModelChoiceFilter(
        queryset=visible(ComplianceCase, "party", "mechanism"), label=_("Compliance case")
    )

    class Meta:
        model = ProgressRating
        fields = ["party", "mechanism", "meeting", "rating", "compliance_case"]


class CapCaseFilterSet(BootstrapFilterSet):
    party = party_filter()
    stage = django_filters.MultipleChoiceFilter(choices=CapStage.choices, label=_("Stage"))
    case_manager = django_filters.ModelChoiceFilter(
        queryset=case_managers, label=_("Secretariat case manager")
    )

    class Meta:
        model = CapCase
        fields = ["party", "stage", "case_manager"]


class EligibilityAssessmentFilterSet(BootstrapFilterSet):
    party = party_filter("cap_case__party")
    decision = django_filters.MultipleChoiceFilter(choices=SelectionDecision.choices, label=_("Decision"))
    export_significance = django_filters.MultipleChoiceFilter(
        choices=Level.choices, label=_("Significance of exports")
    )
    cap_case = django_filters.ModelChoiceFilter(queryset=visible(CapCase), label=_("CAP case"))

    class Meta:
        model = EligibilityAssessment
        fields = ["party", "cap_case", "decision", "export_significance", "committed", "formal_request"]


class TechnicalMissionFilterSet(BootstrapFilterSet):
    party = party_filter("cap_case__party")
    starts_after = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", label=_("Starts on or after")
    )
    starts_before = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", label=_("Starts on or before")
    )
    cap_case = django_filters.ModelChoiceFilter(queryset=visible(CapCase), label=_("CAP case"))

    class Meta:
        model = TechnicalMission
        fields = ["party", "cap_case", "starts_after", "starts_before"]


class StakeholderFilterSet(BootstrapFilterSet):
    party = party_filter("cap_case__party")
    kind = django_filters.MultipleChoiceFilter(choices=StakeholderKind.choices, label=_("Kind"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    cap_case = django_filters.ModelChoiceFilter(queryset=visible(CapCase), label=_("CAP case"))

    class Meta:
        model = Stakeholder
        fields = ["q", "party", "cap_case", "kind"]


class ResultFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    party = party_filter("cap_case__party")
    cap_case = django_filters.ModelChoiceFilter(queryset=visible(CapCase), label=_("CAP case"))
    review_status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices, label=_("Review"))
    species = django_filters.CharFilter(lookup_expr="icontains", label=_("Species"))
    achieved_after = django_filters.DateFilter(
        field_name="achieved_on", lookup_expr="gte", label=_("Achieved on or after")
    )
    achieved_before = django_filters.DateFilter(
        field_name="achieved_on", lookup_expr="lte", label=_("Achieved on or before")
    )

    class Meta:
        model = Result
        fields = [
            "q",
            "party",
            "cap_case",
            "review_status",
            "species",
            "is_example",
            "achieved_after",
            "achieved_before",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(document_reference__icontains=value)
            | Q(species__icontains=value)
        )
