"""A funding source's name on the page (found by the browser sweep: the Trust Fund was shown in
English on French and Spanish pages)."""

import pytest
from django.utils import translation

from budgets.choices import Fund
from budgets.models import FundingSource
from parties.models import Donor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "CITES Trust Fund (CTL)"),
        ("fr", "Fonds d'affectation spéciale CITES (CTL)"),
        ("es", "Fondo Fiduciario de la CITES (CTL)"),
    ],
)
def test_the_trust_fund_is_named_in_the_readers_language(language, expected):
    source = FundingSource.objects.create(fund=Fund.CTL, name="CITES Trust Fund")
    with translation.override(language):
        assert str(source) == expected


def test_a_donors_source_keeps_its_own_name():
    donor = Donor.objects.create(name="European Union", short_name="EU")
    source = FundingSource.objects.create(fund=Fund.QTL, donor=donor, name="EU external funds")
    with translation.override("fr"):
        assert str(source) == "EU external funds (QTL)"
