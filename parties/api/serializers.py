from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from cap_portal.api.serializers import BaseModelSerializer
from parties.models import Authority, Contact, Donor, Party


class PartySerializer(BaseModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:party-detail", lookup_field="code")
    code = CountryField(
        validators=[
            UniqueValidator(
                queryset=Party.objects.all(), message=_("A Party with this ISO code exists already.")
            )
        ]
    )

    class Meta:
        model = Party
        fields = [
            "url",
            "id",
            "code",
            "name",
            "name_fr",
            "article_fr",
            "name_es",
            "article_es",
            "region",
            "is_ldc",
            "is_lldc",
            "is_sids",
            "language",
            "created",
            "updated",
        ]


class PartyRelatedField(serializers.SlugRelatedField):
    """A Party written and shown by its ISO code."""

    lean_attribute = "code"  # all it reads of the Party (cap_portal.api.lean)

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Party.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.upper()
        return super().to_internal_value(data)

    def to_representation(self, obj):
        return str(obj.code)


class AuthoritySerializer(BaseModelSerializer):
    party = PartyRelatedField()

    class Meta:
        model = Authority
        fields = ["id", "party", "kind", "name", "address", "email", "phone", "website", "created", "updated"]


class ContactSerializer(BaseModelSerializer):
    party = PartyRelatedField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "party",
            "authority",
            "name",
            "position",
            "email",
            "phone",
            "is_focal_point",
            "created",
            "updated",
        ]


class DonorSerializer(BaseModelSerializer):
    party = PartyRelatedField(required=False, allow_null=True)

    class Meta:
        model = Donor
        fields = ["id", "name", "short_name", "party", "created", "updated"]
