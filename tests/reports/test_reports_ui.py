"""Report pages: list, detail and edit for every role, drafts hidden, render from the browser,
preview from the same template as the PDF, downloads through a permission-checked view."""

import pytest
from django.urls import reverse

from reports.models import Report, ReportVersion
from tests.mixins import UIViewTestCases

from .conftest import make_report
from .test_reports_api import finalise

pytestmark = pytest.mark.django_db


class TestFinalReportUI(UIViewTestCases.ListDetailEdit):
    model = Report

    def make_object(self, party):
        return finalise(make_report([party]))

    def list_url(self):
        return reverse("reports:report_list")

    def edit_url(self, obj):
        return reverse("reports:report_edit", kwargs={"pk": obj.pk})


@pytest.mark.parametrize(
    "role, status",
    [
        ("case_manager", 200),
        ("secretariat_viewer", 200),
        ("ma_focal_point", 404),
        ("sa_focal_point", 404),
        ("donor_observer", 404),
    ],
)
def test_draft_report_pages_are_for_the_secretariat(role, status, world, client):
    report = make_report([world.own])
    client.force_login(world.users[role])
    assert client.get(report.get_absolute_url()).status_code == status
    assert client.get(reverse("reports:report_preview", kwargs={"pk": report.pk})).status_code == status


@pytest.mark.parametrize("role", ["secretariat_viewer", "ma_focal_point", "donor_observer"])
def test_only_case_managers_render_from_the_browser(role, world, client):
    report = finalise(make_report([world.own]))
    client.force_login(world.users[role])
    assert client.post(reverse("reports:report_render", kwargs={"pk": report.pk})).status_code == 403


def test_case_manager_renders_downloads_and_rerenders_in_the_browser(
    world, client, django_capture_on_commit_callbacks
):
    report = make_report([world.own])
    client.force_login(world.users["case_manager"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="render-box"' in page and "js/report-render.js" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_render", kwargs={"pk": report.pk}))
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    page = client.get(report.get_absolute_url()).content.decode()
    assert version.get_pdf_url() in page and version.get_docx_url() in page
    download = client.get(version.get_pdf_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert 'filename="SC78 Doc. 23 v1.pdf"' in download["Content-Disposition"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:report_render", kwargs={"pk": report.pk}), {"source_version": version.pk}
        )
    assert ReportVersion.objects.get(number=2).snapshot == version.snapshot


def test_preview_shows_the_document_from_the_same_template(world, client, render_now):
    report = make_report([world.own, world.other])
    client.force_login(world.users["case_manager"])
    html = client.get(reverse("reports:report_preview", kwargs={"pk": report.pk})).content.decode()
    assert "CONVENTION ON INTERNATIONAL TRADE IN ENDANGERED SPECIES OF WILD FAUNA AND FLORA" in html
    assert '<span class="num">1.</span>This document has been prepared by the Secretariat.' in html
    assert "<h3>Nigeria</h3>" in html and "<h3>Togo</h3>" in html
    version = ReportVersion.objects.get(render=render_now(report, world.users["case_manager"]))
    frozen = client.get(version.get_absolute_url()).content.decode()
    assert "<h3>Togo</h3>" in frozen


def test_focal_points_download_versions_of_final_reports_only(world, client, render_now):
    report = make_report([world.own])
    version = ReportVersion.objects.get(render=render_now(report, world.users["case_manager"]))
    client.force_login(world.users["sa_focal_point"])
    assert client.get(version.get_pdf_url()).status_code == 404
    finalise(report)
    assert client.get(version.get_pdf_url()).status_code == 200
    assert client.get(version.get_docx_url()).status_code == 200
    # A final report's preview is its latest version, as published.
    assert client.get(reverse("reports:report_preview", kwargs={"pk": report.pk})).status_code == 200


def test_section_edit_and_reset_in_the_browser(world, client):
    report = make_report([world.own])
    section = report.sections.get(kind="recommendations")
    client.force_login(world.users["case_manager"])
    url = section.get_absolute_url()
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "", "body": "The Committee is invited to note this report."})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.is_edited
    client.post(reverse("reports:section_reset", kwargs={"pk": report.pk, "section": section.pk}))
    section.refresh_from_db()
    assert not section.is_edited
    client.force_login(world.users["secretariat_viewer"])
    assert client.get(url).status_code == 403


def test_create_a_report_in_the_browser(world, client):
    client.force_login(world.users["case_manager"])
    response = client.post(
        reverse("reports:report_add"),
        {
            "symbol": "SC79 Doc. 20",
            "meeting_name": "Seventy-ninth meeting of the Standing Committee",
            "meeting_place": "Samarkand (Uzbekistan)",
            "meeting_start": "2025-11-23",
            "meeting_end": "2025-11-23",
            "agenda_headings": "Strategic matters",
            "language": "fr",
            "as_of": "2025-09-30",
            "parties": [world.own.pk],
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "SC79 Doc. 20" in page and "Togo" in page


def test_navigation_shows_sc_reports(world, client):
    client.force_login(world.users["donor_observer"])
    assert reverse("reports:report_list") in client.get(reverse("home")).content.decode()
