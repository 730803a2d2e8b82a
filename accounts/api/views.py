from django.contrib.auth import get_user_model
from django.db import transaction
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts import services
from accounts.filtersets import InvitationFilterSet, PeopleFilterSet, RoleAssignmentFilterSet
from accounts.models import Invitation
from accounts.selectors import PEOPLE_POLICY, people_for_table, people_restrict
from cap_portal.access import ACTION_FOR_METHOD, Action
from cap_portal.api.viewsets import BaseModelViewSet
from parties.models import RoleAssignment

from .serializers import InvitationSerializer, NoInputSerializer, PersonSerializer, RoleAssignmentSerializer


# Business rules of the services (accounts/services.py), documented for the API schema.
@extend_validation_errors(["invalid"], field_name="party", methods=["post"])
@extend_validation_errors(["invalid"], field_name="donor", methods=["post"])
@extend_validation_errors(["invalid"], field_name="email", methods=["post"])
@extend_validation_errors(["invalid"], field_name=None, actions=["revoke", "resend"], methods=["post"])
class InvitationViewSet(BaseModelViewSet):
    """Invitations to take a role, sent by e-mail (case managers; the Secretariat reads).
    Creating one sends it; ``…/{id}/resend/`` sends a new link with a new expiry date,
    ``…/{id}/revoke/`` withdraws it. The link's secret is only ever in the e-mail."""

    queryset = Invitation.objects.select_related("party", "donor", "invited_by")
    serializer_class = InvitationSerializer
    filterset_class = InvitationFilterSet
    http_method_names = ["get", "post", "head", "options"]
    extra_action_access = {"revoke": Action.CHANGE, "resend": Action.CHANGE}

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance, _secret = services.invitation_create(
            email=data["email"],
            role=data["role"],
            party=data.get("party"),
            donor=data.get("donor"),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            language=data.get("language", "en"),
            by=self.request.user,
        )

    @extend_schema(request=NoInputSerializer, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Withdraw the invitation: its link stops working (400 once accepted)."""
        invitation = services.invitation_revoke(invitation=self.get_object(), by=request.user)
        return Response(self.get_serializer(invitation).data)

    @extend_schema(request=NoInputSerializer, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Send the invitation again with a new link and a new expiry date (400 once accepted or
        withdrawn)."""
        invitation, _secret = services.invitation_resend(invitation=self.get_object(), by=request.user)
        return Response(self.get_serializer(invitation).data)


@extend_validation_errors(["invalid"], field_name="party", methods=["post"])
@extend_validation_errors(["invalid"], field_name="donor", methods=["post"])
@extend_validation_errors(["invalid"], field_name=None, methods=["post"])
@extend_validation_errors(["invalid"], field_name="ends_on", methods=["patch"])
class RoleAssignmentViewSet(BaseModelViewSet):
    """Who holds which role, for which Party or donor, from when until when (the Secretariat
    reads; case managers write). Creating one gives the role (an ended one is reopened);
    ``PATCH {"ends_on": …}`` with If-Match ends it on that date. Roles are not deleted: their
    history is the record of who held them."""

    queryset = RoleAssignment.objects.select_related("user", "party", "donor")
    serializer_class = RoleAssignmentSerializer
    filterset_class = RoleAssignmentFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.role_grant(
            user=data["user"],
            role=data["role"],
            party=data.get("party"),
            donor=data.get("donor"),
            starts_on=data.get("starts_on"),
            by=self.request.user,
        )

    @transaction.atomic
    def perform_update(self, serializer):
        instance = self.lock_and_check_version(serializer.instance)
        serializer.instance = services.role_end(
            assignment=instance, ends_on=serializer.validated_data.get("ends_on"), by=self.request.user
        )
        self._object_for_etag = serializer.instance


class PeoplePermission(BasePermission):
    """People are governed by ``PEOPLE_POLICY`` (the User model declares none)."""

    def has_permission(self, request, view):
        return PEOPLE_POLICY.allows(request.user, ACTION_FOR_METHOD.get(request.method, Action.VIEW))


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People with an account, with the roles they hold today (the Secretariat). Read only:
    invite people and give or end roles through ``invitations`` and ``role-assignments``."""

    serializer_class = PersonSerializer
    filterset_class = PeopleFilterSet
    permission_classes = [PeoplePermission]

    queryset = get_user_model().objects.all()

    def get_queryset(self):
        return people_for_table(people_restrict(self.request.user, Action.VIEW))
