"""The compliance-case choice of a list's filters reads each case's Party and mechanism in the
query that lists the choices (issue 15: at scale 100 the recommendations page ran about 2,000
queries for those labels, one per choice)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import ComplianceCaseFactory

pytestmark = pytest.mark.django_db


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_more_compliance_cases_cost_no_more_queries(world, client):
    client.force_login(world.users["case_manager"])
    url = reverse("cases:recommendation_list")
    ComplianceCaseFactory(party=world.own)
    with_one = queries_of(client, url)
    for party in (world.own, world.other, world.other, world.own):
        ComplianceCaseFactory(party=party)
    assert queries_of(client, url) == with_one
