from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cap_portal.api.serializers import BaseModelSerializer
from workplans.api.serializers import PartyCodeField

from ..models import Comment, CommentVisibility, Notification
from ..models.comments import COMMENT_TARGETS


class CommentTargetTypeField(serializers.ChoiceField):
    """What a comment is about, by the name used in URLs and forms (capcase, workplan, activity)."""

    def get_attribute(self, instance):
        return instance.content_type.model


class CommentSerializer(BaseModelSerializer):
    """A comment on a CAP case, a workplan or an activity (``target_type`` + ``target_id``);
    written through ``comment_post`` (same rules as the page: focal points post shared comments
    on their own Party's records)."""

    target_type = CommentTargetTypeField(
        choices=list(COMMENT_TARGETS),
        help_text=_("What the comment is about: capcase, workplan or activity."),
    )
    target_id = serializers.IntegerField(source="object_id", min_value=1)
    visibility = serializers.ChoiceField(choices=CommentVisibility.choices, default=CommentVisibility.SHARED)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "target_type", "target_id", "cap_case", "body", "visibility", "author", "created"]
        read_only_fields = ["cap_case", "author", "created"]

    def validate(self, attrs):
        # The Party check of BaseModelSerializer needs the comment's CAP case, known only once the
        # target is found: comment_post checks the same rules (access policy and visibility).
        return attrs


class NotificationSerializer(serializers.ModelSerializer):
    """One of my notifications: what happened, about what (``about_type``, ``about_id``, ``link``),
    who did it, when, whether and when it was e-mailed and read."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    party = PartyCodeField()
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    about_type = serializers.SerializerMethodField()
    about_id = serializers.IntegerField(source="object_id", read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "subject",
            "body",
            "party",
            "actor",
            "about_type",
            "about_id",
            "link",
            "sent_at",
            "emailed_at",
            "read_at",
        ]
        read_only_fields = fields

    def get_about_type(self, obj) -> str | None:
        return obj.content_type.model if obj.content_type_id else None


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were marked read."))
