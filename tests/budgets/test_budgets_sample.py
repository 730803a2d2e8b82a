"""The sample funding of the eight SC78 Parties loads, follows the document and loads twice safely."""

from decimal import Decimal

import pytest

from budgets import selectors as selectors
from budgets.models import Expenditure, Installment, LegalInstrument, NoCostExtension

pytestmark = pytest.mark.django_db


def test_sample_funding_loads_idempotently(django_user_model):
    from budgets import sample as funding_sample
    from cases import sample as cases_sample
    from parties import sample as parties_sample
    from parties.services import parties_load
    from workplans import sample as workplans_sample

    parties_load()
    parties_sample.load()
    cases_sample.load()
    workplans_sample.load()
    funding_sample.load()
    counts = [m.objects.count() for m in (LegalInstrument, NoCostExtension, Installment, Expenditure)]
    funding_sample.load()
    assert [m.objects.count() for m in (LegalInstrument, NoCostExtension, Installment, Expenditure)] == counts
    instruments = LegalInstrument.objects.with_current_end().select_related("cap_case__party")
    assert sorted(str(i.cap_case.party.code) for i in instruments) == [
        "GN",
        "KH",
        "LA",
        "NG",
        "SB",
        "SR",
        "TG",
        "VN",
    ]
    assert all(i.amount_usd <= Decimal("100000") and i.is_illustrative for i in instruments)
    suriname = instruments.get(cap_case__party__code="SR")
    assert suriname.counterpart_kind == "undp_country_office"
    extended = sorted(str(e.instrument.cap_case.party.code) for e in NoCostExtension.objects.all())
    assert extended == ["GN", "NG", "SR", "TG"]
    assert all(i.current_end > i.ends_on for i in instruments.filter(cap_case__party__code__in=extended))
    manager = django_user_model.objects.create_superuser("boss", password="pw")
    summary = selectors.absorption_summary(user=manager, as_of=suriname.current_end)
    # Most of the budget consumed (SC78 Doc. para. 49).
    assert summary.programme.absorption_of_budget > Decimal("0.5")
