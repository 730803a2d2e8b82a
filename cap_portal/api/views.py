from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from cap_portal.api.authentication import token_expired
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
            for a in RoleAssignment.objects.current().filter(user=user).select_related("party", "donor")
        ]
        data = {"username": user.get_username(), "full_name": user.get_full_name(), "roles": items}
        return Response(MeSerializer(data).data)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


def _locked_out(request) -> bool:
    """Whether django-axes found the (username, address) pair locked during this request."""
    django_request = getattr(request, "_request", request)
    return bool(
        getattr(request, "axes_locked_out", False) or getattr(django_request, "axes_locked_out", False)
    )


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token (``Authorization: Token …``).
    Wrong credentials answer 401, like any other failed authentication; 429 while django-axes
    holds the (username, address) pair locked after repeated failures."""

    @extend_schema(request=AuthTokenSerializer, responses={200: TokenSerializer})
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if set(serializer.errors) - {"non_field_errors"}:
                serializer.is_valid(raise_exception=True)  # a missing field: 400 naming it
            if _locked_out(request):
                # django-axes refused even to check the password: the (username, address) pair
                # is locked, which is a rate limit, not wrong credentials.
                raise Throttled(detail=_("Too many failed sign-in attempts: try again later."))
            raise AuthenticationFailed()
        user = serializer.validated_data["user"]
        token = Token.objects.filter(user=user).first()
        if token is not None and token_expired(token):
            token.delete()  # an expired token is replaced by a new one
            token = None
        if token is None:
            token = Token.objects.create(user=user)
        return Response({"token": token.key})
