"""One FilterSet per model, shared by the API and the UI list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parties.choices import WorkingLanguage

from .choices import ReportStatus
from .models import Report, ReportRender, ReportSection, ReportVersion


class ReportFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    language = django_filters.MultipleChoiceFilter(choices=WorkingLanguage.choices, label=_("Language"))

    class Meta:
        model = Report
        fields = ["q", "status", "language"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(symbol__icontains=value) | Q(meeting_name__icontains=value))


class ReportSectionFilterSet(django_filters.FilterSet):
    class Meta:
        model = ReportSection
        fields = ["report", "kind"]


class ReportRenderFilterSet(django_filters.FilterSet):
    class Meta:
        model = ReportRender
        fields = ["report", "state"]


class ReportVersionFilterSet(django_filters.FilterSet):
    class Meta:
        model = ReportVersion
        fields = ["report"]
