from cap_portal.api.viewsets import BaseModelViewSet
from parties.filtersets import AuthorityFilterSet, ContactFilterSet, PartyFilterSet
from parties.models import Authority, Contact, Party

from .serializers import AuthoritySerializer, ContactSerializer, PartySerializer


class PartyViewSet(BaseModelViewSet):
    """CITES Parties, looked up by ISO 3166-1 alpha-2 code (``/api/v1/parties/TG/``)."""

    queryset = Party.objects.all()
    serializer_class = PartySerializer
    filterset_class = PartyFilterSet
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


class AuthorityViewSet(BaseModelViewSet):
    """Management and Scientific Authorities and enforcement focal points of each Party."""

    queryset = Authority.objects.select_related("party")
    serializer_class = AuthoritySerializer
    filterset_class = AuthorityFilterSet


class ContactViewSet(BaseModelViewSet):
    """People at each Party's authorities."""

    queryset = Contact.objects.select_related("party")
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet
