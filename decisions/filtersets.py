"""One FilterSet for decisions, shared by the API and the UI list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.filtersets import BootstrapFilterSet, visible
from cases.models import Meeting

from .choices import DecisionStatus, DirectedTo
from .models import Decision


class DecisionFilterSet(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    meeting = django_filters.ModelChoiceFilter(queryset=visible(Meeting), label=_("Adopted at"))
    directed_to = django_filters.MultipleChoiceFilter(choices=DirectedTo.choices, label=_("Directed to"))
    status = django_filters.MultipleChoiceFilter(choices=DecisionStatus.choices, label=_("Status"))
    agenda_item = django_filters.CharFilter(lookup_expr="icontains", label=_("Agenda item"))
    report = django_filters.NumberFilter(field_name="report_id", label=_("Report (id)"))

    class Meta:
        model = Decision
        fields = ["q", "meeting", "directed_to", "status", "agenda_item", "report"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(text__icontains=value) | Q(items__icontains=value)
        )
