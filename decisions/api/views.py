from django.db import transaction
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors

from cap_portal.api.viewsets import BaseModelViewSet

from .. import services
from ..filtersets import DecisionFilterSet
from ..models import Decision
from .serializers import DecisionSerializer

WRITE_ACTIONS = ["create", "update", "partial_update"]


# The register's own rules (Decision.clean), each with its code.
@extend_validation_errors(["required", "not_allowed"], field_name="meeting", actions=WRITE_ACTIONS)
@extend_validation_errors(["required", "unique"], field_name="number", actions=WRITE_ACTIONS)
@extend_validation_errors(
    ["required", "not_allowed", "not_editable"], field_name="report", actions=WRITE_ACTIONS
)
@extend_validation_errors(["not_editable"], field_name="report", actions=["destroy"])
class DecisionViewSet(BaseModelViewSet):
    """The decisions register: CoP and SC decisions (number, meeting, "Directed to", text and
    lettered items, status, agenda item) and the draft decisions of SC reports (20.AA…, numbered
    by their place in the report's annex)."""

    queryset = Decision.objects.select_related("meeting", "report")
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilterSet

    def perform_create(self, serializer):
        serializer.instance = services.decision_create(
            user=self.request.user, data=dict(serializer.validated_data)
        )

    @transaction.atomic
    def perform_update(self, serializer):
        instance = self.lock_and_check_version(serializer.instance)
        serializer.instance = services.decision_update(
            decision=instance, user=self.request.user, data=dict(serializer.validated_data)
        )
        self._object_for_etag = serializer.instance

    def perform_destroy(self, instance):
        # The base ``destroy`` has locked the row and checked If-Match.
        services.decision_delete(decision=instance, user=self.request.user)
