from allauth.mfa.models import Authenticator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied, Throttled
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.tokens import token_create_for_sign_in
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
    token = serializers.CharField(help_text=_("The secret: shown this once, keep it safe."))
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


def _locked_out(request) -> bool:
    """Whether django-axes found the (username, address) pair locked during this request."""
    django_request = getattr(request, "_request", request)
    return bool(
        getattr(request, "axes_locked_out", False) or getattr(django_request, "axes_locked_out", False)
    )


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token …``), for
    scripts. Each call creates a new named token ("Signed in through the API on …") with the
    default expiry, listed on the user's API tokens page; its secret is answered this once.
    Wrong credentials answer 401, like any other failed authentication; 429 while django-axes
    holds the (username, address) pair locked after repeated failures."""

    permission_classes = []
    renderer_classes = [JSONRenderer]
    serializer_class = AuthTokenSerializer

    def get_serializer(self, *args, **kwargs):
        return self.serializer_class(*args, context={"request": self.request, "view": self}, **kwargs)

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
        if Authenticator.objects.filter(user=user).exists():
            # A password alone must not stand in for the second factor.
            raise PermissionDenied(
                _(
                    "This account uses two-factor authentication: create a token on your account "
                    "page (API tokens) instead."
                )
            )
        token, secret = token_create_for_sign_in(user=user)
        data = {"token": secret, "name": token.name, "expires_at": token.expires_at}
        return Response(TokenSerializer(data).data, headers={"Cache-Control": "no-store"})
