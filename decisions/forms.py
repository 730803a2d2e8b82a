from django import forms
from django.utils.translation import gettext_lazy as _

from cap_portal.forms import BaseModelForm

from .choices import ADOPTED_STATUSES, DecisionStatus
from .models import Decision

_ITEMS_HELP = _("One item per line, without its letter: they are lettered a), b), c)… in this order.")


class DecisionForm(BaseModelForm):
    """An adopted decision of the register."""

    class Meta(BaseModelForm.Meta):
        model = Decision
        fields = ["number", "meeting", "directed_to", "text", "items", "status", "agenda_item", "order"]
        help_texts = {"items": _ITEMS_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].required = True
        self.fields["number"].required = True
        self.fields["status"].choices = [c for c in DecisionStatus.choices if c[0] in ADOPTED_STATUSES]
        self.fields["items"].widget.attrs["rows"] = 6


class DraftDecisionForm(BaseModelForm):
    """A draft decision of a report: its number (20.AA…) is given by its place in the annex."""

    class Meta(BaseModelForm.Meta):
        model = Decision
        fields = ["directed_to", "text", "items", "order"]
        help_texts = {
            "items": _ITEMS_HELP,
            "order": _('Place within its "Directed to" group; the numbers 20.AA, 20.BB… follow it.'),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].widget.attrs["rows"] = 6
