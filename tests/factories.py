import factory
import pytest

from parties.choices import AuthorityKind
from parties.models import Authority, Contact


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    kind = AuthorityKind.MANAGEMENT
    name = factory.Sequence(lambda n: f"Authority {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


_SPARE_CODES = [
    "FR",
    "DE",
    "KE",
    "BR",
    "IN",
    "JP",
    "MX",
    "PE",
    "SN",
    "GH",
    "CM",
    "BJ",
    "ML",
    "NE",
    "TD",
    "GA",
    "CG",
    "MA",
    "TN",
    "EG",
    "ZA",
    "US",
    "CA",
    "AU",
]


def new_party():
    """A Party with an unused ISO code, for tests that need more than the world's two."""
    from parties.models import Party

    taken = {str(c) for c in Party.objects.values_list("code", flat=True)}
    code = next(c for c in _SPARE_CODES if c not in taken)
    return Party.objects.create(code=code, name=f"Party {code}", region="africa")


class PartyAsObject:
    """For the Party model, "an object of a Party" is the Party itself the first time it is asked
    for, and a new Party afterwards (the query-count tests need many)."""

    @pytest.fixture(autouse=True)
    def _reset_used_parties(self):
        self._used = set()

    def make_object(self, party):
        if party.pk not in self._used:
            self._used.add(party.pk)
            return party
        return new_party()
