"""What is kept out of publication is absent from the file; excluding and publishing again is
the case managers', with the reason, who and when, kept in the history."""

import datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from iati.models import PublicationExclusion
from iati.selectors import publication_scope
from iati.services import publication_exclude, publication_include
from iati.xml import activities_document
from tests.budgets import factories as ff

from .conftest import assert_valid, money_totals
from .factories import AS_OF, funded_case

pytestmark = pytest.mark.django_db


def _file(world, **scope):
    user = world.users["case_manager"]
    return activities_document(publication_scope(user=user, as_of=AS_OF, **scope), user=user)


def _activity(content, cap_case):
    for activity in ElementTree.fromstring(content).iter("iati-activity"):
        if activity.findtext("iati-identifier").endswith(f"-{cap_case.pk}"):
            return activity
    return None


def test_excluded_records_are_absent(world, iati_schema):
    """An excluded installment, expenditure, indicator value and budget line leave the file; the
    rest stays, and the file still validates."""
    own = funded_case(world.own)
    before = money_totals(_file(world, cap_case_id=own["cap_case"].pk))["file"]
    assert before["1"] == Decimal("1000.00") and before["4"] == Decimal("500.00")
    manager = world.users["case_manager"]
    for kind, record in [("installment", own["installment"]), ("indicatorvalue", own["value"])]:
        publication_exclude(user=manager, kind=kind, object_id=record.pk, reason="Not yet confirmed.")
    content = _file(world, cap_case_id=own["cap_case"].pk)
    assert_valid(iati_schema, content)
    after = money_totals(content)["file"]
    assert after["1"] == 0 and after["4"] == Decimal("500.00") and after["budget"] == before["budget"]
    assert _activity(content, own["cap_case"]).find("result/indicator/period/actual") is None
    publication_exclude(user=manager, kind="budgetline", object_id=own["line"].pk, reason="Draft figures.")
    after = money_totals(_file(world, cap_case_id=own["cap_case"].pk))["file"]
    assert after["budget"] == 0 and after["4"] == 0  # its expenditure goes with it


def test_an_excluded_case_leaves_the_portfolio(world, iati_schema):
    """An excluded CAP case is no activity of the portfolio; asked for alone, it has no file (404)."""
    own, other = funded_case(world.own), funded_case(world.other)
    publication_exclude(
        user=world.users["case_manager"], kind="capcase", object_id=own["cap_case"].pk, reason="Sensitive."
    )
    content = _file(world)
    assert_valid(iati_schema, content)
    assert _activity(content, own["cap_case"]) is None
    assert _activity(content, other["cap_case"]) is not None
    from django.http import Http404

    with pytest.raises(Http404):
        _file(world, cap_case_id=own["cap_case"].pk)


def test_publishing_again_restores_the_record_and_keeps_the_history(world):
    own = funded_case(world.own)
    manager = world.users["case_manager"]
    exclusion = publication_exclude(
        user=manager, kind="installment", object_id=own["installment"].pk, reason="Being checked."
    )
    assert exclusion.excluded_by == manager and exclusion.created
    pk = exclusion.pk
    publication_include(user=manager, exclusion=exclusion)
    assert money_totals(_file(world, cap_case_id=own["cap_case"].pk))["file"]["1"] == Decimal("1000.00")
    history = PublicationExclusion.history.filter(id=pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "-"]
    assert history[0].reason == "Being checked."


def test_exclusion_is_the_case_managers_and_names_bad_fields(world):
    own = funded_case(world.own)
    for role in ["secretariat_viewer", "ma_focal_point", "donor_observer"]:
        with pytest.raises(PermissionDenied):
            publication_exclude(
                user=world.users[role], kind="capcase", object_id=own["cap_case"].pk, reason="x"
            )
    manager = world.users["case_manager"]
    with pytest.raises(ValidationError) as error:
        publication_exclude(user=manager, kind="capcase", object_id=own["cap_case"].pk, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        publication_exclude(user=manager, kind="capcase", object_id=999999, reason="Gone.")
    assert "object_id" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        publication_exclude(user=manager, kind="party", object_id=1, reason="Not excludable.")
    assert "kind" in error.value.message_dict
    publication_exclude(user=manager, kind="capcase", object_id=own["cap_case"].pk, reason="Once.")
    with pytest.raises(ValidationError) as error:
        publication_exclude(user=manager, kind="capcase", object_id=own["cap_case"].pk, reason="Twice.")
    assert "object_id" in error.value.message_dict
    assert PublicationExclusion.objects.count() == 1


def test_the_page_keeps_a_record_out_and_publishes_it_again(world, client):
    """The case manager's form and button: a bad id is a field error and nothing is written."""
    own = funded_case(world.own)
    client.force_login(world.users["case_manager"])
    url = reverse("iati:exclusion_add")
    response = client.post(url, {"kind": "expenditure", "object_id": 999999, "reason": "x"})
    assert response.status_code == 200 and "There is no such record." in response.content.decode()
    assert not PublicationExclusion.objects.exists()
    response = client.post(
        url, {"kind": "expenditure", "object_id": own["expenditure"].pk, "reason": "Query."}
    )
    assert response.status_code == 302
    exclusion = PublicationExclusion.objects.get()
    assert exclusion.target == own["expenditure"] and exclusion.excluded_by == world.users["case_manager"]
    page = client.get(reverse("iati:publication")).content.decode()
    assert "Query." in page and "Publish again" in page
    response = client.post(reverse("iati:exclusion_delete", args=[exclusion.pk]))
    assert response.status_code == 302 and not PublicationExclusion.objects.exists()


def test_a_co_funded_agreement_gives_each_donor_its_own_money(world, iati_schema):
    """An agreement funded by two donors: each donor's share holds its own installments and its
    commitment is what is planned from its sources; the whole case holds both and the full
    agreement."""
    own = funded_case(world.own)
    instrument = own["instrument"]
    swiss = ff.source_for(world.other)
    instrument.funding_sources.add(swiss)
    ff.make_installment(
        world.own,
        instrument=instrument,
        funding_source=swiss,
        amount=Decimal("2500.50"),
        transferred_on=datetime.date(2024, 3, 1),
        received_on=datetime.date(2024, 3, 5),
    )
    eu = money_totals(_file(world, donor_id=world.donor.pk))["file"]
    ch_content = _file(world, donor_id=world.other_donor.pk, cap_case_id=own["cap_case"].pk)
    assert_valid(iati_schema, ch_content)
    ch = money_totals(ch_content)["file"]
    whole = money_totals(_file(world, cap_case_id=own["cap_case"].pk))["file"]
    assert (eu["1"], ch["1"], whole["1"]) == (Decimal("1000.00"), Decimal("2500.50"), Decimal("3500.50"))
    assert (eu["2"], ch["2"], whole["2"]) == (Decimal("1000.00"), Decimal("2500.50"), Decimal("100000.00"))
    assert ch["budget"] == 0 and ch["4"] == 0  # the line and its expenditure are the EU's


def test_the_file_is_as_of_its_date(world):
    """Funds received and money spent after the date are not in the file of that date."""
    own = funded_case(world.own)
    early = money_totals(_file_as_of(world, own, datetime.date(2024, 2, 5)))["file"]
    assert early["1"] == 0 and early["4"] == 0
    later = money_totals(_file_as_of(world, own, datetime.date(2024, 6, 1)))["file"]
    assert later["1"] == Decimal("1000.00") and later["4"] == Decimal("500.00")


def _file_as_of(world, own, day):
    user = world.users["case_manager"]
    scope = publication_scope(user=user, cap_case_id=own["cap_case"].pk, as_of=day)
    return activities_document(scope, user=user)
