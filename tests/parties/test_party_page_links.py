"""The Party page leads somewhere (issue 14 point 10): its CAP case, the workplan in force, the
funding agreements and the SC report sections about it — or, when there is none, what comes next."""

import pytest

from tests.budgets.factories import make_instrument
from tests.workplans.factories import make_workplan
from workplans.choices import WorkplanStatus

pytestmark = pytest.mark.django_db


def party_page(client, user, party):
    client.force_login(user)
    response = client.get(party.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_party_page_links_to_the_cap_case_the_workplan_in_force_and_the_funding(world, client):
    approved = make_workplan(world.own, WorkplanStatus.APPROVED)
    draft = make_workplan(world.own, WorkplanStatus.DRAFT)
    instrument = make_instrument(world.own, reference="EU/2023/CAP-TG")
    page = party_page(client, world.users["case_manager"], world.own)
    assert approved.cap_case.get_absolute_url() in page
    assert approved.get_absolute_url() in page  # the version in force, not the draft
    assert draft.get_absolute_url() not in page.split('id="party-programme"')[1].split("</div></div>")[0]
    assert instrument.get_absolute_url() in page and "EU/2023/CAP-TG" in page


def test_a_party_without_a_cap_case_says_what_comes_next(world, client):
    page = party_page(client, world.users["case_manager"], world.other)
    assert "This Party has no CAP case" in page
    assert "Open a CAP case" in page  # a case manager may open one


def test_a_focal_point_sees_the_links_of_its_own_party_only(world, client):
    make_workplan(world.own, WorkplanStatus.APPROVED)
    other = make_workplan(world.other, WorkplanStatus.APPROVED)
    own_page = party_page(client, world.users["ma_focal_point"], world.own)
    assert 'id="programme-case-' in own_page
    other_page = party_page(client, world.users["ma_focal_point"], world.other)
    assert other.get_absolute_url() not in other_page
    assert other.cap_case.get_absolute_url() not in other_page
    assert "Open a CAP case" not in other_page
