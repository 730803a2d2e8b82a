"""Forms of the funding pages: the case manager records funding agreements (legal instruments),
no-cost extensions, installments and budget lines; focal points report expenditure.

Model validation (``clean()``) holds the rules shared with the API: amounts, currencies and
rates, installments within the agreement, extensions after the current end date, expenditure
within the agreement's period. An error on a field the form does not show (the agreement or
workplan preset from the address) is shown above the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cap_portal.forms import BaseModelForm
from workplans.models import Activity

from .models import BudgetLine, Expenditure, FundingSource, Installment, LegalInstrument, NoCostExtension

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _dates(*names):
    return dict.fromkeys(names, DATE)


class LegalInstrumentForm(BaseModelForm):
    """A funding agreement of the CAP case named in the address."""

    class Meta(BaseModelForm.Meta):
        model = LegalInstrument
        fields = [
            "reference",
            "counterpart_kind",
            "counterpart_name",
            "funding_sources",
            "signed_on",
            "starts_on",
            "ends_on",
            "amount",
            "currency",
            "exchange_rate",
            "notes",
        ]
        widgets = _dates("signed_on", "starts_on", "ends_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_sources"].queryset = self.fields["funding_sources"].queryset.select_related(
            "donor"
        )
        self.fields["funding_sources"].widget.attrs["size"] = 6


class NoCostExtensionForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = NoCostExtension
        fields = ["new_end_date", "granted_on", "reason"]
        widgets = _dates("new_end_date", "granted_on")


class InstallmentForm(BaseModelForm):
    """An installment of the agreement named in the address; its source is one of the agreement's."""

    class Meta(BaseModelForm.Meta):
        model = Installment
        fields = [
            "number",
            "funding_source",
            "planned_on",
            "amount",
            "currency",
            "exchange_rate",
            "transferred_on",
            "received_on",
        ]
        widgets = _dates("planned_on", "transferred_on", "received_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.instrument_id:
            self.fields["funding_source"].queryset = FundingSource.objects.filter(
                legal_instruments=self.instance.instrument_id
            ).select_related("donor")


class BudgetLineForm(BaseModelForm):
    """A line of the budget of the workplan named in the address (a draft or returned version)."""

    class Meta(BaseModelForm.Meta):
        model = BudgetLine
        fields = ["category", "description", "activity", "unit", "units", "rate", "funding_source", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(workplan_id=self.instance.workplan_id)
        # The choices are the sources of the CAP case's legal instruments (``BudgetLine.clean``
        # says why another one is refused).
        sources = self.fields["funding_source"].queryset.select_related("donor")
        if self.instance.workplan_id:
            cap_case_id = self.instance.workplan.cap_case_id
            sources = sources.filter(pk__in=BudgetLine.funding_sources_for(cap_case_id).values("pk"))
            if not sources.exists():
                self.fields["funding_source"].help_text = _(
                    "This CAP case has no legal instrument yet: record its funding agreement first."
                )
        self.fields["funding_source"].queryset = sources


class BudgetLineChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(party)s, version %(version)s — %(category)s: %(line)s (year %(year)s)") % {
            "party": obj.workplan.cap_case.party.name,
            "version": obj.workplan.version,
            "category": obj.get_category_display(),
            "line": obj.description,
            "year": obj.year,
        }


class ExpenditureForm(BaseModelForm):
    """Expenditure against a budget line of the user's Party, with an optional supporting document
    (PDF, DOCX, XLSX, PNG or JPEG, checked on its content and size by the model's validator)."""

    class Meta(BaseModelForm.Meta):
        model = Expenditure
        fields = ["budget_line", "spent_on", "amount", "currency", "exchange_rate", "description", "document"]
        field_classes = {"budget_line": BudgetLineChoiceField}
        # The current document is linked to its permission-checked download by the template.
        widgets = {"spent_on": DATE, "document": forms.FileInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = (
            self.fields["budget_line"]
            .queryset.select_related("workplan__cap_case__party")
            .order_by("workplan__cap_case__party__name", "-workplan__version", "year", "category", "pk")
        )
        self.fields["document"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"
