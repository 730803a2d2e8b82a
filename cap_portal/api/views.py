from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.views import APIView

from parties.models import RoleAssignment


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    party = serializers.CharField(allow_null=True)
    donor = serializers.CharField(allow_null=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = RoleSerializer(many=True)


class MeView(APIView):
    """The signed-in user and the roles they hold."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        items = [
            {
                "role": a.role,
                "party": str(a.party.code) if a.party else None,
                "donor": a.donor and a.donor.name,
            }
            for a in RoleAssignment.objects.filter(user=user).select_related("party", "donor")
        ]
        data = {"username": user.get_username(), "full_name": user.get_full_name(), "roles": items}
        return Response(MeSerializer(data).data)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (``Authorization: Token …``).
    Wrong credentials answer 401, like any other failed authentication."""

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if set(serializer.errors) - {"non_field_errors"}:
                serializer.is_valid(raise_exception=True)  # a missing field: 400 naming it
            raise AuthenticationFailed()
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
