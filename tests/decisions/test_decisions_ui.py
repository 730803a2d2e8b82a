"""The decisions pages: the register's list and edit form through the generic mixins, a report's
draft decisions added, edited and deleted from the report's page, and the menu entry."""

import pytest
from django.urls import reverse

from decisions.choices import DecisionStatus
from decisions.models import Decision
from reports.choices import ReportStatus
from tests.mixins import UIEditTests, UIListTests
from tests.reports.conftest import make_report

from .factories import DecisionFactory, DraftDecisionFactory, cop

pytestmark = pytest.mark.django_db


class TestDecisionUI(UIListTests, UIEditTests):
    model = Decision

    def make_object(self, party):
        return DecisionFactory()

    def list_url(self):
        return reverse("decisions:decision_list")

    def edit_url(self, obj):
        return reverse("decisions:decision_edit", kwargs={"pk": obj.pk})


def test_case_manager_adds_edits_and_deletes_a_report_s_draft_decisions(world, client):
    cop(19)
    report = make_report([world.own])
    client.force_login(world.users["case_manager"])
    page = client.get(report.get_absolute_url()).content.decode()
    drafts_url = reverse("decisions:report_drafts", kwargs={"parent": report.pk})
    assert f'href="{drafts_url}"' in page
    response = client.post(
        reverse("decisions:draft_add", kwargs={"parent": report.pk}),
        {
            "directed_to": "secretariat",
            "text": "Subject to extrabudgetary resources, the Secretariat shall:",
            "items": "a) continue assisting Parties;\nb) report to the Standing Committee.",
            "order": 1,
        },
    )
    assert response.status_code == 302 and response["Location"] == drafts_url
    draft = Decision.objects.get()
    assert (draft.report, draft.status, draft.number) == (report, DecisionStatus.DRAFT, "20.AA")
    assert draft.item_list == ["continue assisting Parties;", "report to the Standing Committee."]
    page = client.get(drafts_url).content.decode()
    assert "Directed to the Secretariat" in page and "20.AA" in page and "b) report to the Standing" in page

    edit = reverse("decisions:draft_edit", kwargs={"pk": draft.pk})
    form = client.get(edit).context["form"]
    data = {**{k: v for k, v in form.initial.items() if k in form.fields}, "directed_to": "parties"}
    data["edit_version"] = form.fields["edit_version"].initial
    response = client.post(edit, data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.directed_to == "parties"

    response = client.post(reverse("decisions:decision_delete", kwargs={"pk": draft.pk}))
    assert response.status_code == 302 and response["Location"] == drafts_url
    assert not Decision.objects.exists()


def test_a_final_report_s_drafts_are_shown_without_edit_links(world, client):
    report = make_report([world.own])
    DraftDecisionFactory(report=report, number="20.AA", text="Kept as published.")
    type(report).objects.filter(pk=report.pk).update(status=ReportStatus.FINAL)
    client.force_login(world.users["case_manager"])
    page = client.get(reverse("decisions:report_drafts", kwargs={"parent": report.pk})).content.decode()
    assert "Kept as published." in page
    assert reverse("decisions:draft_add", kwargs={"parent": report.pk}) not in page
    response = client.post(
        reverse("decisions:draft_add", kwargs={"parent": report.pk}),
        {"directed_to": "parties", "text": "Too late.", "order": 0},
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Decision.objects.filter(text="Too late.").exists()


@pytest.mark.parametrize("role", ["ma_focal_point", "secretariat_viewer"])
def test_only_case_managers_add_draft_decisions(world, client, role):
    report = make_report([world.own])
    client.force_login(world.users[role])
    url = reverse("decisions:draft_add", kwargs={"parent": report.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"directed_to": "parties", "text": "No.", "order": 0}).status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    "role", ["case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"]
)
def test_every_role_finds_the_register_in_the_menu(world, client, role):
    client.force_login(world.users[role])
    page = client.get(reverse("parties:party_list")).content.decode()
    nav = page[page.index('<ul class="navbar-nav') : page.index("</ul>")]
    assert f'href="{reverse("decisions:decision_list")}"' in nav
