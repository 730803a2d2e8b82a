from django import forms
from django.utils.translation import gettext_lazy as _

from cap_portal.forms import BaseModelForm

from .models import Report, ReportSection


class ReportForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = Report
        fields = [
            "symbol",
            "title",
            "meeting_name",
            "meeting_place",
            "meeting_start",
            "meeting_end",
            "agenda_headings",
            "language",
            "as_of",
            "parties",
        ]
        widgets = {
            "meeting_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "meeting_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "parties": forms.SelectMultiple(attrs={"size": 10}),
        }


class ReportSectionForm(BaseModelForm):
    class Meta(BaseModelForm.Meta):
        model = ReportSection
        fields = ["title", "body"]
        help_texts = {
            "body": _(
                "Separate paragraphs with a blank line; each paragraph gets the next number of the "
                'document. Lines starting with "- " form a lettered list a), b), c).'
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["rows"] = 18
