"""The portfolio app's API: comments (/api/v1/comments/, through ``comment_post``, the page's
rules) and each person's own notifications (/api/v1/notifications/, marked read one by one or
all at once)."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cap_portal.access import Action
from cap_portal.api.viewsets import BaseModelViewSet

from ..filtersets import CommentFilterSet, InboxFilterSet
from ..models import Comment, Notification
from ..models.comments import comment_post, comment_target_model
from ..notify import inbox, notification_mark_read
from .serializers import CommentSerializer, MarkedReadSerializer, NotificationSerializer


class CommentViewSet(BaseModelViewSet):
    """Comments on CAP cases, workplans and activities: read (internal ones by the Secretariat
    only) and posted; a comment is not edited or deleted. Filter by ``target_type`` and
    ``target_id`` for the comments on one record."""

    queryset = Comment.objects.select_related("author", "content_type")
    serializer_class = CommentSerializer
    filterset_class = CommentFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        model = comment_target_model(data["target_type"])
        target = model.objects.restrict(self.request.user, Action.VIEW).filter(pk=data["object_id"]).first()
        if target is None:
            raise ValidationError({"target_id": _("No such record among those you may see.")})
        serializer.instance = comment_post(
            target=target, body=data.get("body", ""), visibility=data["visibility"], user=self.request.user
        )


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My notifications, unread first (``unread=true`` for the unread ones only): never another
    person's (404)."""

    serializer_class = NotificationSerializer
    filterset_class = InboxFilterSet
    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.none()  # for the schema; the rows are the user's own

    def get_queryset(self):
        return inbox(self.request.user).select_related("party", "content_type")

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read."""
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        return Response({"marked": notification_mark_read(user=request.user, notification=notification)})

    @extend_schema(request=None, responses=MarkedReadSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all my notifications read."""
        return Response({"marked": notification_mark_read(user=request.user)})
