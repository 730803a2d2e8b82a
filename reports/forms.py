from django import forms
from django.utils.translation import gettext_lazy as _

from cap_portal.forms import BaseModelForm

from .models import NARRATIVE_FIELDS, Report, ReportSection


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
    """The case manager's narrative (carried forward from the previous report until edited), the
    text composed from the data, and the heading."""

    class Meta(BaseModelForm.Meta):
        model = ReportSection
        fields = ["title", "narrative", "narrative_fr", "narrative_es", "body"]
        labels = {"body": _("Text composed from the data")}
        help_texts = {
            "narrative": _(
                "Your account of the section, shown before the text composed from the data. Separate "
                "paragraphs with a blank line; each paragraph gets the next number of the document."
            ),
            "body": _(
                "Separate paragraphs with a blank line; each paragraph gets the next number of the "
                'document. Lines starting with "- " form a lettered list a), b), c).'
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The narrative in the report's language first (the one "Insert" adds to), then the others;
        # a language left empty falls back to another in the document, marked in the preview.
        language = self.instance.report.language if self.instance.report_id else "en"
        first = NARRATIVE_FIELDS.get(language, "narrative")
        others = [field for field in NARRATIVE_FIELDS.values() if field != first]
        for field in others:
            self.fields[field].widget.attrs["rows"] = 6
            self.fields[field].help_text = _("Optional: the narrative for a rendering in this language.")
        self.fields[first].widget.attrs.update({"rows": 12, "data-narrative-target": ""})
        self.order_fields(["title", first, *others, "body"])
        self.fields["body"].widget.attrs["rows"] = 18
        # Each text box is marked with the language it is written in (WCAG 3.1.2, language of
        # parts): the title and the composed text are the report's, each narrative its own.
        for field, written_in in [("title", language), ("body", language)] + [
            (field, code) for code, field in NARRATIVE_FIELDS.items()
        ]:
            self.fields[field].widget.attrs["lang"] = written_in
