from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Invitation
from accounts.selectors import InvitationStatus, invitation_status
from cap_portal.api.serializers import BaseModelSerializer, PlainTextSerializer
from parties.api.serializers import PartyRelatedField
from parties.models import RoleAssignment


class InvitationSerializer(BaseModelSerializer):
    """An invitation; the link's secret is never part of it (it is only sent by e-mail)."""

    party = PartyRelatedField(required=False, allow_null=True)
    invited_by = serializers.CharField(source="invited_by.username", read_only=True)
    accepted_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "party",
            "donor",
            "language",
            "status",
            "invited_by",
            "expires_at",
            "accepted_at",
            "accepted_by",
            "revoked_at",
            "created",
            "updated",
        ]
        read_only_fields = ["expires_at", "accepted_at", "revoked_at"]

    @extend_schema_field(serializers.ChoiceField(choices=InvitationStatus.choices))
    def get_status(self, obj) -> str:
        return invitation_status(obj).value


class RoleAssignmentSerializer(BaseModelSerializer):
    """A role held by a person from ``starts_on`` until ``ends_on`` (the first day it no longer
    holds). Created to give a role; only ``ends_on`` changes afterwards (PATCH, to end it)."""

    user = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
    username = serializers.CharField(source="user.username", read_only=True)
    party = PartyRelatedField(required=False, allow_null=True)
    starts_on = serializers.DateField(required=False)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "username",
            "role",
            "party",
            "donor",
            "starts_on",
            "ends_on",
            "is_current",
            "created",
            "updated",
        ]
        # A role is ended through the service: a new role starts without an end.
        read_only_fields = ["ends_on"]
        # The service reopens an ended role instead of adding a second one.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        if (
            self.instance is not None
            and not isinstance(self.instance, list | tuple)
            and hasattr(self.instance, "pk")
        ):
            # Once given, a role is what it is: only its end date changes.
            for name in ("user", "role", "party", "donor", "starts_on"):
                fields[name].read_only = True
            fields["ends_on"] = serializers.DateField(
                required=True, help_text=_("The first day the person no longer holds the role.")
            )
        return fields


class CurrentRoleSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.code", read_only=True, allow_null=True)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "party", "donor", "starts_on", "ends_on"]


class PersonSerializer(serializers.ModelSerializer):
    """A person with an account and the roles they hold today."""

    roles = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "last_login",
            "date_joined",
            "roles",
        ]

    @extend_schema_field(CurrentRoleSerializer(many=True))
    def get_roles(self, obj):
        roles = getattr(obj, "current_roles", []) if obj.is_active else []
        return CurrentRoleSerializer(roles, many=True).data


class NoInputSerializer(PlainTextSerializer):
    """A step that takes no input."""
