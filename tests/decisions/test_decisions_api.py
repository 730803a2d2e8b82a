"""The decisions API: plain CRUD through the generic mixins, drafts numbered by their report, and
the drafts of a draft report kept from everyone but the Secretariat."""

import pytest
from django.urls import reverse

from cap_portal.concurrency import etag_for
from decisions.choices import DecisionStatus
from decisions.models import Decision
from tests.mixins import APIViewTestCases
from tests.reports.conftest import make_report

from .factories import DecisionFactory, DraftDecisionFactory, cop

pytestmark = pytest.mark.django_db


class TestDecisionAPI(APIViewTestCases.CRUD):
    model = Decision
    basename = "decision"

    def make_object(self, party):
        return DecisionFactory()

    def create_payload(self, party):
        return {
            "number": "19.44",
            "meeting": cop(19).pk,
            "directed_to": "parties",
            "text": "Parties are invited to continue to provide financial or technical support.",
            "items": "",
            "status": "in_force",
        }

    def update_payload(self):
        return {"status": "implemented"}


def test_a_draft_created_through_the_api_takes_its_placeholder(world, api_client):
    cop(19)
    report = make_report([world.own])
    api_client.force_login(world.users["case_manager"])
    payload = {
        "report": report.pk,
        "status": "draft",
        "directed_to": "secretariat",
        "text": "Subject to extrabudgetary resources, the Secretariat shall:",
        "items": "continue assisting Parties;\nreport to the Standing Committee.",
    }
    response = api_client.post(reverse("api:decision-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == "20.AA"


def test_invalid_decisions_answer_400_naming_the_field(world, api_client):
    """An adopted decision without a meeting; a draft with a meeting: 400 on the field, nothing written."""
    api_client.force_login(world.users["case_manager"])
    url = reverse("api:decision-list")
    response = api_client.post(url, {"number": "19.1", "directed_to": "parties", "text": "T."}, format="json")
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"meeting"}
    report = make_report([world.own])
    draft = {
        "report": report.pk,
        "meeting": cop(19).pk,
        "status": "draft",
        "directed_to": "parties",
        "text": "T.",
    }
    response = api_client.post(url, draft, format="json")
    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"meeting"}
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("role", "sees_draft"),
    [
        ("case_manager", True),
        ("secretariat_viewer", True),
        ("ma_focal_point", False),
        ("donor_observer", False),
    ],
)
def test_drafts_of_a_draft_report_are_the_secretariat_s(world, api_client, role, sees_draft):
    """A draft report's draft decisions: the Secretariat only (404 for others); adopted ones: everyone."""
    draft = DraftDecisionFactory(report=make_report([world.own]))
    adopted = DecisionFactory()
    api_client.force_login(world.users[role])
    ids = {row["id"] for row in api_client.get(reverse("api:decision-list")).json()["results"]}
    assert adopted.pk in ids
    assert (draft.pk in ids) is sees_draft
    response = api_client.get(reverse("api:decision-detail", kwargs={"pk": draft.pk}))
    assert response.status_code == (200 if sees_draft else 404)


def test_deleting_a_draft_of_a_final_report_is_refused(world, api_client):
    from reports.choices import ReportStatus

    report = make_report([world.own])
    draft = DraftDecisionFactory(report=report, number="20.AA")
    type(report).objects.filter(pk=report.pk).update(status=ReportStatus.FINAL)
    api_client.force_login(world.users["case_manager"])
    response = api_client.delete(
        reverse("api:decision-detail", kwargs={"pk": draft.pk}), HTTP_IF_MATCH=etag_for(draft)
    )
    assert response.status_code == 400
    assert Decision.objects.filter(pk=draft.pk, status=DecisionStatus.DRAFT).exists()
