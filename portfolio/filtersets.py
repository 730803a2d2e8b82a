"""The portfolio app's FilterSets, shared by the API and the pages: comments by what they are
about, and a person's own notifications (unread, kind)."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind
from .models import Comment, CommentVisibility, Notification
from .models.comments import COMMENT_TARGETS


class CommentFilterSet(django_filters.FilterSet):
    """``target_type`` (capcase, workplan, activity) with ``target_id``: the comments on one
    record; ``cap_case``: every comment placed in a CAP case's feed."""

    target_type = django_filters.ChoiceFilter(
        choices=[(name, name) for name in COMMENT_TARGETS],
        method="filter_target_type",
        label=_("About (kind)"),
    )
    target_id = django_filters.NumberFilter(field_name="object_id", label=_("About (id)"))
    visibility = django_filters.ChoiceFilter(choices=CommentVisibility.choices, label=_("Visibility"))

    class Meta:
        model = Comment
        fields = ["target_type", "target_id", "cap_case", "visibility"]

    def filter_target_type(self, queryset, name, value):
        content_type = ContentType.objects.get_by_natural_key(*COMMENT_TARGETS[value])
        return queryset.filter(content_type=content_type)


class InboxFilterSet(django_filters.FilterSet):
    """A person's own notifications: ``unread=true`` for the unread ones, by ``kind``."""

    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("Unread"))
    kind = django_filters.MultipleChoiceFilter(choices=NotificationKind.choices, label=_("Kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
