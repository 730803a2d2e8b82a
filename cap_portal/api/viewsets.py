from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers, viewsets

from cap_portal import services
from cap_portal.access import ACTION_FOR_METHOD, Action

from .permissions import PolicyPermission


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """Model validation (``full_clean``) raised in a service becomes a field-level 400."""
    return serializers.ValidationError(serializers.as_serializer_error(error))


class BaseModelViewSet(viewsets.ModelViewSet):
    """The base of every API viewset.

    - the queryset is restricted to what the user may take the request's action on (404 otherwise);
    - a role that may never take the action gets 403;
    - writes go through services (the generic ones unless a viewset names its own).
    """

    permission_classes = [PolicyPermission]
    # Extra actions (``@action``) name the access action they need, e.g. {"transition": Action.CHANGE}.
    extra_action_access: dict[str, str] = {}

    def get_model(self):
        return self.queryset.model

    def get_access_action(self) -> str:
        if self.action in self.extra_action_access:
            return self.extra_action_access[self.action]
        return ACTION_FOR_METHOD.get(self.request.method, Action.VIEW)

    def get_queryset(self):
        queryset = super().get_queryset().restrict(self.request.user, self.get_access_action())
        if self.action == "list" and hasattr(queryset, "for_table"):
            queryset = queryset.for_table()
        return queryset

    def perform_create(self, serializer):
        try:
            serializer.instance = services.object_create(
                model=self.get_model(), user=self.request.user, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from error

    def perform_update(self, serializer):
        try:
            serializer.instance = services.object_update(
                instance=serializer.instance, user=self.request.user, data=dict(serializer.validated_data)
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from error

    def perform_destroy(self, instance):
        services.object_delete(instance=instance, user=self.request.user)
