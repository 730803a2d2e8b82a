from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cap_portal.access import get_user_roles


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    party = serializers.CharField(allow_null=True)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = RoleSerializer(many=True)


class MeView(APIView):
    """The signed-in user and the roles they hold."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        roles = get_user_roles(user)
        from parties.models import Party

        codes = dict(Party.objects.values_list("pk", "code"))
        items = [{"role": role, "party": None} for role in sorted(roles.global_roles)]
        for role, party_ids in sorted(roles.party_roles.items()):
            items += [{"role": role, "party": codes.get(pk)} for pk in sorted(party_ids)]
        data = {"username": user.get_username(), "full_name": user.get_full_name(), "roles": items}
        return Response(MeSerializer(data).data)
