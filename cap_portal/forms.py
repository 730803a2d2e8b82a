from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from cap_portal.access import Action


def formfield_for(field, **kwargs):
    # Web addresses typed without a scheme are taken as https (Django 6's default, now).
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class BaseModelForm(forms.ModelForm):
    """Restricts related-object choices to what the user may see; Bootstrap classes on widgets.
    Model validation may name a field the form does not show (e.g. the workplan a plan row belongs
    to, once the version is no longer a draft): such errors go above the form, never lost."""

    class Meta:
        formfield_callback = formfield_for  # subclasses write `class Meta(BaseModelForm.Meta)`

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if user is not None and queryset is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, Action.VIEW)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("rows", 3)

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            shown, hidden = {}, []
            for name, messages in errors.error_dict.items():
                if name in self.fields or name == NON_FIELD_ERRORS:
                    shown[name] = messages
                else:
                    hidden += messages
            if hidden:
                shown.setdefault(NON_FIELD_ERRORS, []).extend(hidden)
            errors = ValidationError(shown)
        super()._update_errors(errors)
