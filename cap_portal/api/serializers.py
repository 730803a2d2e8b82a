import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cap_portal.access import Action

# C0 control characters (and DEL) other than tab, newline and carriage return: no stored text needs
# them, and exports and documents cannot hold them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(value):
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise serializers.ValidationError(
            _("Control characters are not allowed (only tab and new line)."), code="control_characters"
        )


class PlainTextMixin:
    """Every text field of the serializer refuses control characters (400 naming the field)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.CharField) and refuse_control_characters not in field.validators:
                field.validators.append(refuse_control_characters)
        return fields


class PlainTextSerializer(PlainTextMixin, serializers.Serializer):
    """The base of the API's input serializers that are not model serializers."""


class BaseModelSerializer(PlainTextMixin, serializers.ModelSerializer):
    """Restricts related-object choices to what the user may see, and refuses to write an
    object into a Party the user may not write to (400 naming the field)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None and hasattr(field, "child_relation"):
                queryset = field.child_relation.queryset
                target = field.child_relation
            else:
                target = field
            if queryset is not None and hasattr(queryset, "restrict"):
                target.queryset = queryset.restrict(request.user, Action.VIEW)

    @property
    def today(self) -> datetime.date:
        """The reader's date, read once per request and kept in the serializer's context (the
        request's): a field that compares with today reads it once per page, not once per row."""
        context = self.context
        today = context.get("today")
        if today is None:
            today = context["today"] = timezone.localdate()
        return today

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        policy = self.Meta.model.access_policy
        if request is None or not policy.party_path:
            return attrs
        action = Action.CHANGE if self.instance is not None else Action.ADD
        # Build the object as it would be saved, to find the Party it would belong to.
        probe = self.Meta.model(**{k: v for k, v in attrs.items() if not self._is_many(k)})
        if self.instance is not None:
            for field in self.Meta.model._meta.concrete_fields:
                if field.name not in attrs:
                    setattr(probe, field.attname, getattr(self.instance, field.attname))
        if not policy.permits(request.user, action, probe):
            first = policy.party_path.split("__")[0]
            raise serializers.ValidationError({first: _("You may not write to this Party's records.")})
        return attrs

    def _is_many(self, name):
        field = self.fields.get(name)
        return isinstance(field, serializers.ManyRelatedField)
