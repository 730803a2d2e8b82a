"""The reports API: CRUD with access written out by hand, drafts hidden from Party roles and donors,
render jobs (202, state, percentage, version), sections, versions and their files."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.choices import ReportStatus
from reports.models import Report, ReportVersion
from tests.mixins import APIViewTestCases, GetObjectTests

from .conftest import make_report

pytestmark = pytest.mark.django_db


def finalise(report):
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FINAL)
    report.refresh_from_db()
    return report


class TestFinalReportAPI(APIViewTestCases.CRUD, GetObjectTests):
    """Final (published) reports: every signed-in user reads them; case managers write. Retrieval
    is checked here too: the matrix's report rows probe a final (own) and a draft (other) report."""

    model = Report
    basename = "report"

    def make_object(self, party):
        return finalise(make_report([party]))

    def create_payload(self, party):
        return {
            "symbol": "SC79 Doc. 20",
            "meeting_name": "Seventy-ninth meeting of the Standing Committee",
            "meeting_place": "Samarkand (Uzbekistan)",
            "meeting_start": "2025-11-23",
            "meeting_end": "2025-11-23",
            "agenda_headings": "Strategic matters",
            "language": "en",
            "as_of": "2025-09-30",
            "parties": [str(party.code)],
        }

    def update_payload(self):
        return {"meeting_place": "Lausanne (Switzerland)"}


@pytest.mark.parametrize(
    "role, visible",
    [
        ("case_manager", True),
        ("secretariat_viewer", True),
        ("ma_focal_point", False),
        ("sa_focal_point", False),
        ("donor_observer", False),
    ],
)
def test_draft_reports_are_seen_by_the_secretariat_only(role, visible, world, api_client):
    """A draft is 404 for focal points and donor observers and missing from their list."""
    draft = make_report([world.own])
    published = finalise(make_report([world.own], symbol="SC77 Doc. 24"))
    api_client.force_login(world.users[role])
    response = api_client.get(reverse("api:report-detail", kwargs={"pk": draft.pk}))
    assert response.status_code == (200 if visible else 404)
    ids = {row["id"] for row in api_client.get(reverse("api:report-list")).json()["results"]}
    assert ids == ({draft.pk, published.pk} if visible else {published.pk})
    sections = api_client.get(reverse("api:report-section-list"), {"report": draft.pk}).json()["results"]
    assert bool(sections) is visible


def test_create_composes_the_sections_and_status_is_read_only(world, api_client):
    api_client.force_login(world.users["case_manager"])
    payload = TestFinalReportAPI().create_payload(world.own) | {"status": "final"}
    response = api_client.post(reverse("api:report-list"), payload, format="json")
    assert response.status_code == 201, response.json()
    report = Report.objects.get(pk=response.json()["id"])
    assert report.status == ReportStatus.DRAFT
    assert report.sections.filter(kind="party", party=world.own).exists()


def test_meeting_end_before_start_is_a_field_error(world, api_client):
    api_client.force_login(world.users["case_manager"])
    payload = TestFinalReportAPI().create_payload(world.own) | {"meeting_end": "2025-11-01"}
    response = api_client.post(reverse("api:report-list"), payload, format="json")
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["meeting_end"]
    assert not Report.objects.exists()


@pytest.mark.parametrize("role", ["secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"])
def test_only_case_managers_render(role, world, api_client):
    report = finalise(make_report([world.own]))
    api_client.force_login(world.users[role])
    response = api_client.post(reverse("api:report-render", kwargs={"pk": report.pk}), {}, format="json")
    assert response.status_code == 403
    assert not report.renders.exists()


def test_render_answers_202_with_a_job_that_the_job_endpoint_follows(
    world, api_client, django_capture_on_commit_callbacks
):
    """202 with the queued job; the job endpoint then shows it done at 100 %, with the files."""
    report = make_report([world.own, world.other])
    api_client.force_login(world.users["case_manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(reverse("api:report-render", kwargs={"pk": report.pk}), {}, format="json")
    assert response.status_code == 202
    job = response.json()
    assert job["report"] == report.pk and job["state"] in {"queued", "done"}
    followed = api_client.get(reverse("api:report-render-detail", kwargs={"pk": job["id"]})).json()
    assert (followed["state"], followed["percent"]) == ("done", 100)
    assert followed["version"]["number"] == 1
    pdf = api_client.get(followed["version"]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert len(PdfReader(io.BytesIO(body)).pages) == ReportVersion.objects.get().page_count
    docx = api_client.get(followed["version"]["docx"])
    assert docx.status_code == 200


def test_a_failed_job_is_retried_through_the_api(
    world, api_client, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import services

    report = make_report([world.own])
    api_client.force_login(world.users["case_manager"])
    monkeypatch.setattr(services, "render_pdf", lambda html: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        job = api_client.post(
            reverse("api:report-render", kwargs={"pk": report.pk}), {}, format="json"
        ).json()
    failed = api_client.get(reverse("api:report-render-detail", kwargs={"pk": job["id"]})).json()
    assert failed["state"] == "failed" and "division by zero" in failed["message"]
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(reverse("api:report-render-retry", kwargs={"pk": failed["id"]}))
    assert response.status_code == 202 and response.json()["retry_of"] == failed["id"]
    retried = api_client.get(reverse("api:report-render-detail", kwargs={"pk": response.json()["id"]})).json()
    assert retried["state"] == "done"


def test_versions_of_a_draft_are_hidden_until_the_report_is_final(world, api_client, render_now):
    report = make_report([world.own])
    version = ReportVersion.objects.get(render=render_now(report, world.users["case_manager"]))
    url = reverse("api:report-version-pdf", kwargs={"pk": version.pk})
    api_client.force_login(world.users["ma_focal_point"])
    assert api_client.get(url).status_code == 404
    api_client.force_login(world.users["case_manager"])
    assert api_client.post(reverse("api:report-finalise", kwargs={"pk": report.pk})).status_code == 200
    api_client.force_login(world.users["ma_focal_point"])
    assert api_client.get(url).status_code == 200


def test_finalise_without_a_version_is_refused(world, api_client):
    report = make_report([world.own])
    api_client.force_login(world.users["case_manager"])
    response = api_client.post(reverse("api:report-finalise", kwargs={"pk": report.pk}))
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "status"


def test_a_report_with_versions_cannot_be_deleted(world, api_client, render_now):
    report = make_report([world.own])
    render_now(report, world.users["case_manager"])
    api_client.force_login(world.users["case_manager"])
    url = reverse("api:report-detail", kwargs={"pk": report.pk})
    assert api_client.delete(url, HTTP_IF_MATCH=api_client.get(url)["ETag"]).status_code == 400
    assert Report.objects.filter(pk=report.pk).exists()


def test_sections_are_edited_and_reset_by_case_managers(world, api_client):
    report = make_report([world.own])
    section = report.sections.get(kind="background")
    url = reverse("api:report-section-detail", kwargs={"pk": section.pk})
    api_client.force_login(world.users["secretariat_viewer"])
    assert api_client.patch(url, {"body": "x"}, format="json").status_code == 403
    api_client.force_login(world.users["case_manager"])
    etag = api_client.get(url)["ETag"]
    edited = api_client.patch(url, {"body": "Edited by hand."}, format="json", HTTP_IF_MATCH=etag).json()
    assert edited["is_edited"] is True and edited["body"] == "Edited by hand."
    reset = api_client.post(reverse("api:report-section-reset", kwargs={"pk": section.pk})).json()
    assert reset["is_edited"] is False and reset["body"].startswith("The primary objective")
    # Sections come from composing the report: nobody adds one by hand.
    assert api_client.post(reverse("api:report-section-list"), {}, format="json").status_code == 403


def test_render_job_list_and_version_list_query_counts(
    world, api_client, render_now, django_assert_num_queries
):
    """The render-job and version lists run a fixed number of queries."""
    user = world.users["case_manager"]
    report = make_report([world.own])
    render_now(report, user)
    api_client.force_login(user)
    with django_assert_num_queries(4):  # session, user, roles, page (author joined); no count
        assert api_client.get(reverse("api:report-version-list")).status_code == 200
    with django_assert_num_queries(4):  # session, user, roles, page (user and version joined)
        assert api_client.get(reverse("api:report-render-list")).status_code == 200
    render_now(report, user)
    render_now(report, user)
    with django_assert_num_queries(4):
        assert len(api_client.get(reverse("api:report-version-list")).json()["results"]) == 3
    with django_assert_num_queries(4):
        assert len(api_client.get(reverse("api:report-render-list")).json()["results"]) == 3
