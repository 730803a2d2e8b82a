"""The SC report's workflow (``reports.workflow``) through the one engine: finalising shows in
``/history/`` as a status change with its user and reason, the generic transition view serves the
finalise button, and writes outside a request (the render worker) name their user."""

import pytest
from django.urls import reverse

from cap_portal.workflow import transition_take
from cases.models import CapCaseTransition
from tests.cases.factories import CapCaseFactory

from .conftest import make_report

pytestmark = pytest.mark.django_db


def test_finalising_a_report_shows_the_status_change(world, api_client, render_now):
    """/history/ of a finalised report: status draft → final, by the case manager, with the
    step's name as reason (the status was never diffed, the reason null)."""
    cm = world.users["case_manager"]
    report = make_report([world.own], user=cm)
    render_now(report, cm)
    api_client.force_authenticate(cm)
    url = f"/api/v1/reports/{report.pk}/"
    assert api_client.post(url + "finalise/").status_code == 200
    latest = api_client.get(url + "history/").json()[0]
    assert (latest["user"], latest["reason"]) == ("case_manager", "Finalise")
    assert [(c["field"], c["old"], c["new"]) for c in latest["changes"]] == [("status", "draft", "final")]


def test_the_finalise_button_is_the_generic_transition_view(world, client, render_now):
    """The finalise URL takes the step through the engine: refused with a message without a
    rendered version, 403 for a role that may never finalise, final otherwise."""
    cm = world.users["case_manager"]
    report = make_report([world.own], user=cm)
    url = reverse("reports:report_finalise", args=[report.pk])
    client.force_login(world.users["secretariat_viewer"])
    assert client.post(url).status_code == 403
    client.force_login(cm)
    page = client.post(url, follow=True).content.decode()
    assert "Render the report at least once before finalising it." in page
    render_now(report, cm)
    assert client.post(url).status_code == 302
    report.refresh_from_db()
    assert report.is_final and report.history.first().history_user == cm


def test_services_called_outside_a_request_record_their_user(world, render_now):
    """No request, no middleware: a workflow step, the generic writes and the render worker name
    the acting user on every history record they write."""
    cm = world.users["case_manager"]
    cap_case = CapCaseFactory(party=world.own)
    transition_take(obj=cap_case, action="long_list", user=cm, comment="Desk review.")
    assert cap_case.history.first().history_user == cm
    assert CapCaseTransition.objects.get().history.first().history_user == cm
    report = make_report([world.own], user=cm)
    assert report.history.first().history_user == cm
    assert {s.history.first().history_user for s in report.sections.all()} == {cm}
    job = render_now(report, cm)
    assert job.version.history.first().history_user == cm
    transition_take(obj=report, action="finalise", user=cm)
    assert report.history.first().history_user == cm
