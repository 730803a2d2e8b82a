"""Issue 14.13: a donor observer's home page shows what the donor funds — agreements, amounts
received and spent, absorption, next installments, latest statements and reports — and nothing
another donor funds. Everyone else keeps their home page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.selectors import absorption_summary
from tests.budgets import factories as ff

from .conftest import D, funded, kept_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def funding(world):
    own, other = funded(world.own), funded(world.other)
    ff.make_installment(world.own, instrument=own, amount=Decimal("25000.00"), planned_on=D(2030, 1, 15))
    ff.make_installment(world.other, instrument=other, amount=Decimal("33333.00"), planned_on=D(2030, 2, 1))
    statement = kept_statement(own, world.users["case_manager"])
    other_statement = kept_statement(other, world.users["case_manager"])
    return own, other, statement, other_statement


def test_the_donor_observers_home_shows_what_its_donor_funds(world, funding, client):
    own, other, statement, other_statement = funding
    observer = world.users["donor_observer"]
    client.force_login(observer)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "statements/donor_home.html"
    page = response.content.decode()
    # The donor's figures are those of the funding page, for what the observer sees.
    figures = dict(absorption_summary(user=observer).donors)[world.donor]
    assert figures.received == Decimal("40000.00") and figures.spent == Decimal("4321.09")
    assert "40,000.00" in page and "4,321.09" in page
    assert "10.8 %" in page  # 4,321.09 / 40,000 = 10.80 %
    assert own.reference in page and other.reference not in page
    assert "25,000.00" in page and "33,333.00" not in page  # the next installments, own donor only
    assert statement.get_pdf_url() in page and other_statement.get_pdf_url() not in page
    assert "Switzerland" not in page and "Nigeria" not in page


@pytest.mark.parametrize(
    "role, template",
    [
        ("case_manager", "portfolio/dashboard.html"),
        ("secretariat_viewer", "portfolio/dashboard.html"),
        ("ma_focal_point", "portfolio/my_party.html"),
        ("sa_focal_point", "portfolio/my_party.html"),
    ],
)
def test_other_roles_keep_their_home_page(role, template, world, client):
    client.force_login(world.users[role])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert "statements/donor_home.html" not in [t.name for t in response.templates]


def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/login/" in response["Location"]
