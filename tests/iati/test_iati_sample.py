"""The IATI file of the sample portfolio (the eight SC78 Parties) validates against the IATI 2.03
schema — the whole portfolio, one donor's share, one CAP case — and its money, read back by the
standard library's XML reader, equals the funding pages' figures to the cent."""

import datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from budgets import selectors as budget_selectors
from cap_portal.access import Role
from cases.models import CapCase
from iati.selectors import publication_scope
from iati.xml import activities_document
from parties.models import Donor
from parties.services import role_assign, user_create

from .conftest import assert_valid, figures_of, money_totals

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 12, 1)


@pytest.fixture
def sample(db):
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
    manager = user_create(username="cm", password="pw-cm-12345")
    role_assign(user=manager, role=Role.CASE_MANAGER)
    return manager


def _figures(figures) -> dict:
    return {k: figures.as_dict()[k] for k in ("budget", "committed", "received", "spent")}


def test_portfolio_validates_and_gives_back_the_programme_figures(sample, iati_schema):
    """Eight activities, valid 2.03; budget, commitments, funds received and expenditure total
    the programme's figures on the funding page, to the cent."""
    content = activities_document(publication_scope(user=sample, as_of=AS_OF), user=sample)
    assert_valid(iati_schema, content)
    root = ElementTree.fromstring(content)
    assert root.get("version") == "2.03" and root.get("generated-datetime")
    assert len(root.findall("iati-activity")) == 8
    summary = budget_selectors.absorption_summary(user=sample, as_of=AS_OF)
    assert figures_of(money_totals(content)["file"]) == _figures(summary.programme)
    assert summary.programme.spent > 0 and summary.programme.received > 0


def test_one_donor_share_validates_and_gives_back_the_donor_figures(sample, iati_schema):
    """The EU's share: the cases the EU funds (Cambodia, Lao PDR, Togo), and only the EU's money,
    equal to the EU's row of the funding page."""
    eu = Donor.objects.get(short_name="EU")
    content = activities_document(publication_scope(user=sample, donor_id=eu.pk, as_of=AS_OF), user=sample)
    assert_valid(iati_schema, content)
    root = ElementTree.fromstring(content)
    countries = sorted(a.find("recipient-country").get("code") for a in root.iter("iati-activity"))
    assert countries == ["KH", "LA", "TG"]
    funders = {org.findtext("narrative") for org in root.iter("participating-org") if org.get("role") == "1"}
    assert funders == {eu.name}
    summary = budget_selectors.absorption_summary(user=sample, as_of=AS_OF)
    eu_figures = dict(summary.donors)[eu]
    assert figures_of(money_totals(content)["file"]) == _figures(eu_figures)


def test_one_case_validates_and_gives_back_its_funding_page(sample, iati_schema, client):
    """Togo's activity, downloaded by a case manager, equals Togo's funding page to the cent."""
    togo = CapCase.objects.get(party__code="TG")
    client.force_login(sample)
    response = client.get(reverse("iati:activities"), {"case": togo.pk, "as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert_valid(iati_schema, response.content)
    funding = budget_selectors.case_funding(user=sample, cap_case=togo, as_of=AS_OF)
    totals = money_totals(response.content)
    (identifier,) = [k for k in totals if k != "file"]
    assert identifier.endswith(f"-CAP-TG-{togo.pk}")
    assert figures_of(totals[identifier]) == _figures(funding.figures)
    root = ElementTree.fromstring(response.content)
    activity = root.find("iati-activity")
    assert activity.find("activity-status").get("code") in {"2", "3", "4"}
    assert activity.find("sector").get("code") == "41030"
    assert activity.find("result/indicator/baseline") is not None
