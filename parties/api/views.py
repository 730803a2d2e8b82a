from cap_portal.api.viewsets import BaseModelViewSet
from parties.filtersets import AuthorityFilterSet, ContactFilterSet, DonorFilterSet, PartyFilterSet
from parties.models import Authority, Contact, Donor, Party

from .serializers import AuthoritySerializer, ContactSerializer, DonorSerializer, PartySerializer


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


class DonorViewSet(BaseModelViewSet):
    """Funders of the CAP: the CITES Trust Fund's donors and external funders."""

    queryset = Donor.objects.select_related("party")
    serializer_class = DonorSerializer
    filterset_class = DonorFilterSet
