"""Forms of the IATI page: which file to download, and a record to keep out of publication."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EXCLUDABLE

KIND_LABELS = {
    "capcase": _("CAP case"),
    "legalinstrument": _("Legal instrument"),
    "installment": _("Installment"),
    "budgetline": _("Budget line"),
    "expenditure": _("Expenditure"),
    "indicator": _("Indicator"),
    "indicatorvalue": _("Indicator value"),
}


# The largest id a database key holds (bigint): a larger one is a field error, not a query.
ID_MAX = 2**63 - 1


class ScopeForm(forms.Form):
    """The query string of the file (UI and API alike): ``donor``, ``case`` (ids) and ``as_of``."""

    donor = forms.IntegerField(label=_("Donor"), required=False, min_value=1, max_value=ID_MAX)
    case = forms.IntegerField(label=_("CAP case"), required=False, min_value=1, max_value=ID_MAX)
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give a date as YYYY-MM-DD.")},
    )


class ExclusionForm(forms.Form):
    """A record to keep out of publication: its kind, its id (in the record's address) and why."""

    kind = forms.ChoiceField(
        label=_("Kind of record"),
        choices=[(k, KIND_LABELS[k]) for k in EXCLUDABLE],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    object_id = forms.IntegerField(
        label=_("Record id"), min_value=1, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
