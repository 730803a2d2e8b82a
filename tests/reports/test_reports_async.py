"""Rendering asynchronously (issue 13, Deliver 8 and 9): the embedded default runs a real worker on
a broker that needs no server; ``render`` answers 202 at once in the API and the UI; a second
request while a render of the report is queued or running returns that job (no duplicate
version); a final report is re-issued from its stored snapshot only; two versions are compared
paragraph by paragraph."""

import copy
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from kombu import pools as kombu_pools

from cap_portal.celery import app, ensure_broker_folders
from reports import services
from reports.choices import RenderState, ReportStatus
from reports.compare import compare_snapshots
from reports.models import Report, ReportRender, ReportVersion
from reports.snapshot import build_snapshot

from .conftest import make_report

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def render_url(report):
    return reverse("reports:report_render", kwargs={"pk": report.pk})


# --- 202 at once, one job per report at a time -------------------------------------------------


def test_api_render_answers_202_and_a_second_request_returns_the_queued_job(world, api_client):
    """The job is queued (no worker ran it: the request only enqueues), and a second request
    while it waits answers the same job: one job, no second version."""
    report = make_report([world.own])
    api_client.force_login(world.users["case_manager"])
    url = reverse("api:report-render", kwargs={"pk": report.pk})
    first = api_client.post(url, {}, format="json")
    assert first.status_code == 202
    assert first.json()["state"] == RenderState.QUEUED
    second = api_client.post(url, {}, format="json")
    assert second.status_code == 202
    assert second.json()["id"] == first.json()["id"]
    assert ReportRender.objects.filter(report=report).count() == 1


def test_ui_render_answers_202_json_to_the_script_and_returns_the_running_job(world, client):
    """The page's script asks for JSON: 202 with the job. While the job runs, another click
    (JSON or a plain form post) gets the same job; the plain post is sent back to the page."""
    report = make_report([world.own])
    client.force_login(world.users["case_manager"])
    first = client.post(render_url(report), **JSON)
    assert first.status_code == 202
    job = first.json()
    assert job["state"] == RenderState.QUEUED and job["report"] == report.pk
    ReportRender.objects.filter(pk=job["id"]).update(
        state=RenderState.RUNNING, percent=40, started_at=timezone.now()
    )
    again = client.post(render_url(report), **JSON)
    assert again.status_code == 202
    assert (again.json()["id"], again.json()["percent"]) == (job["id"], 40)
    plain = client.post(render_url(report))
    assert plain.status_code == 302 and plain["Location"].endswith(report.get_absolute_url() + "#render")
    assert ReportRender.objects.filter(report=report).count() == 1


def test_a_new_render_is_queued_once_the_previous_job_finished(world, client):
    report = make_report([world.own])
    client.force_login(world.users["case_manager"])
    first = client.post(render_url(report), **JSON).json()
    ReportRender.objects.filter(pk=first["id"]).update(state=RenderState.FAILED)
    second = client.post(render_url(report), **JSON).json()
    assert second["id"] != first["id"] and second["state"] == RenderState.QUEUED


def test_a_job_whose_worker_died_does_not_block_the_report_for_ever(world, client):
    """A job "running" without a heartbeat for RENDER_STALL_AFTER lost its worker (the filesystem
    broker does not give a taken message back): a new request marks it failed and queues anew,
    by the reaper's rule (reports.services.stalled_q), not one of its own."""
    report = make_report([world.own])
    client.force_login(world.users["case_manager"])
    stale = client.post(render_url(report), **JSON).json()
    ReportRender.objects.filter(pk=stale["id"]).update(
        state=RenderState.RUNNING,
        percent=40,
        started_at=timezone.now() - services.render_stall_after() - datetime.timedelta(minutes=1),
    )
    fresh = client.post(render_url(report), **JSON).json()
    assert fresh["id"] != stale["id"] and fresh["state"] == RenderState.QUEUED
    dead = ReportRender.objects.get(pk=stale["id"])
    assert dead.state == RenderState.FAILED and "no worker finished the job" in dead.message
    # A job queued as long (its message lost, or no worker ever started) is replaced the same way;
    # its message, delivered late, finds it failed and renders nothing.
    ReportRender.objects.filter(pk=fresh["id"]).update(
        created=timezone.now() - services.render_queue_lost_after() - datetime.timedelta(minutes=1)
    )
    third = client.post(render_url(report), **JSON).json()
    assert third["id"] != fresh["id"]
    assert ReportRender.objects.get(pk=fresh["id"]).state == RenderState.FAILED
    assert services.report_render_run(render_id=fresh["id"]) is None
    assert not ReportVersion.objects.filter(report=report).exists()


def test_the_page_of_a_queued_job_says_it_waits_for_a_worker_and_disables_rendering(world, client):
    """No worker (killed or absent) never hangs the page: it shows the job waiting for a worker,
    with the render buttons disabled and the script following the job."""
    report = make_report([world.own])
    client.force_login(world.users["case_manager"])
    job = client.post(render_url(report), **JSON).json()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Waiting for a worker" in page
    assert f'data-job-id="{job["id"]}"' in page
    button = page[page.index("data-render-form") :]
    button = button[: button.index("</button>")]
    assert "disabled" in button


# --- A final report is re-issued from its stored snapshot ----------------------------------


def test_a_final_reports_rerender_uses_its_stored_snapshot(world, portfolio, render_now):
    """Change the data after the report is final and render again without naming a version: the
    new version is the latest version's snapshot, not the live data."""
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    first = ReportVersion.objects.get(render=render_now(report, user))
    services.report_finalise(report=report, user=user)
    section = report.sections.filter(party=world.own).get()
    section.body, section.is_edited = "Togo did everything after the report was final.", True
    section.save()
    portfolio.activities[2].status = "completed"
    portfolio.activities[2].save()
    report.refresh_from_db()
    assert "Togo did everything" in json.dumps(build_snapshot(report))  # the live data did change

    job = render_now(report, user)
    assert job.state == RenderState.DONE, job.message
    second = ReportVersion.objects.get(render=job)
    assert job.source_version == first and second.number == 2
    assert second.snapshot == first.snapshot
    assert "Togo did everything" not in json.dumps(second.snapshot)


def test_a_job_queued_before_the_report_became_final_renders_the_stored_snapshot(world, render_now):
    """The worker, too, never composes a final report from the live data."""
    user = world.users["case_manager"]
    report = make_report([world.own], user=user)
    first = ReportVersion.objects.get(render=render_now(report, user))
    with transaction.atomic():  # queued, not run: no worker in this test
        waiting = services.report_render_request(report=report, user=user)
    services.report_finalise(report=report, user=user)
    section = report.sections.filter(party=world.own).get()
    section.body, section.is_edited = "Changed after finalising.", True
    section.save()
    version = services.report_render_run(render_id=waiting.pk)
    assert version is not None and version.snapshot["sections"] == first.snapshot["sections"]


# --- The embedded default: a real worker on a broker with no server ----------------------------


def embedded_settings(**extra) -> dict:
    """The Celery settings of cap_portal.settings.base as a fresh process without REDIS_URL sees them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "CELERY_"))}
    env.update(DJANGO_SETTINGS_MODULE="cap_portal.settings.base", **extra)
    code = (
        "import json; from cap_portal.settings import base as b; print(json.dumps({"
        "'eager': b.CELERY_TASK_ALWAYS_EAGER, 'broker': b.CELERY_BROKER_URL,"
        "'options': b.CELERY_BROKER_TRANSPORT_OPTIONS, 'backend': b.CELERY_RESULT_BACKEND}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_embedded_default_queues_to_a_filesystem_broker_not_in_process():
    embedded = embedded_settings()
    assert embedded["eager"] is False
    assert embedded["broker"] == "filesystem://"
    folder = str(django_settings.BASE_DIR / "var" / "celery" / "queue")
    assert embedded["options"]["data_folder_in"] == embedded["options"]["data_folder_out"] == folder
    assert embedded["options"]["control_folder"].startswith(str(django_settings.BASE_DIR / "var" / "celery"))
    assert embedded["backend"] is None
    with_redis = embedded_settings(REDIS_URL="redis://127.0.0.1:6379/0")
    assert with_redis["broker"] == "redis://127.0.0.1:6379/0" and with_redis["eager"] is False


def test_runportal_starts_a_worker_with_beat_in_the_embedded_default(settings, tmp_path):
    """The README's run command starts `celery worker --beat` beside the web server (Popen is
    mocked only to see the call), and stops it when the server stops."""
    embedded = embedded_settings()  # the settings README's run command has (no REDIS_URL)
    settings.CELERY_TASK_ALWAYS_EAGER = embedded["eager"]
    settings.CELERY_BROKER_URL = embedded["broker"]
    settings.REDIS_URL = ""
    settings.BASE_DIR = tmp_path
    from cap_portal.management.commands import runportal

    served = []
    with (
        mock.patch.object(runportal.subprocess, "Popen") as popen,
        mock.patch.object(runportal, "call_command", side_effect=lambda *a, **k: served.append(a[0])),
    ):
        call_command("runportal", "--no-sample")
    assert served == ["migrate", "runserver"]
    command = popen.call_args.args[0]
    assert command[:6] == [sys.executable, "-m", "celery", "-A", "cap_portal", "worker"]
    assert "--beat" in command and "--without-gossip" in command
    popen.return_value.terminate.assert_called_once()


@pytest.fixture(autouse=True)
def filesystem_broker(tmp_path):
    """The portal's Celery app on a filesystem broker of the test's own: a portal running on this
    machine keeps its own folders under var/celery, and no message of these tests reaches them."""
    folder = tmp_path / "celery"
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    before = {key: app.conf[key] for key in ("broker_url", "broker_transport_options")}
    app.conf.update(broker_url="filesystem://", broker_transport_options=options)
    ensure_broker_folders(app.conf)
    fresh_connection_pool()
    yield folder
    app.conf.update(**before)
    fresh_connection_pool()


def fresh_connection_pool():
    """kombu keeps one pool per broker URL, whatever the transport options: drop it, so that the
    app connects with the options of this test (and the next test with its own)."""
    kombu_pools.reset()
    app._after_fork()  # forgets the app's connection and producer pools, as in a forked worker


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_on_the_filesystem_broker_renders_the_queued_job(world, filesystem_broker, settings):
    """The request commits and writes a message file; the job waits for a worker; a Celery worker
    consuming the folder renders it to done, with one version."""
    app.conf.update(task_always_eager=False)  # the reports conftest turns it back on afterwards
    settings.CELERY_TASK_ALWAYS_EAGER = False
    user = world.users["case_manager"]
    report = make_report([world.own], user=user)
    with transaction.atomic():
        job = services.report_render_request(report=report, user=user)
    assert list((filesystem_broker / "queue").glob("*.msg")), "the request left a message for a worker"
    assert ReportRender.objects.get(pk=job.pk).state == RenderState.QUEUED
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        done = wait_until(
            lambda: (r := ReportRender.objects.get(pk=job.pk)).is_finished and r, 120, "the render"
        )
    assert done.state == RenderState.DONE, done.message
    assert ReportVersion.objects.filter(report=report).count() == 1


# --- Versions compared ----------------------------------------------------------------------


def make_version(report, user, snapshot, number):
    job = ReportRender.objects.create(report=report, state="done", percent=100, requested_by=user)
    version = ReportVersion(
        report=report,
        number=number,
        render=job,
        author=user,
        rendered_at=timezone.now(),
        as_of=report.as_of,
        language="en",
        sha256=hashlib.sha256(str(number).encode()).hexdigest(),
        page_count=1,
        snapshot=snapshot,
    )
    version.pdf.save(f"v{number}.pdf", ContentFile(b"%PDF-1.4 probe"), save=False)
    version.save()
    return version


def paragraph_blocks(snapshot):
    return [
        block
        for section in snapshot["sections"]
        for block in section["blocks"]
        if block["type"] == "paragraph" and block["number"]
    ]


def test_the_compare_page_shows_added_removed_and_changed_paragraphs(world, client):
    """Version 2 drops one paragraph, adds another and changes words in a third: the page lists
    each, marks the changed words, and is reached from the versions list (two ticked)."""
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    old_snapshot = build_snapshot(report)
    new_snapshot = copy.deepcopy(old_snapshot)
    blocks = paragraph_blocks(new_snapshot)
    assert len(blocks) >= 3
    removed_text = blocks[0]["text"]
    changed_old = blocks[1]["text"]
    blocks[1]["text"] = changed_old + " Progress was reviewed in Lomé."
    for section in new_snapshot["sections"]:
        if blocks[0] in section["blocks"]:
            section["blocks"].remove(blocks[0])
        if blocks[2] in section["blocks"]:
            index = section["blocks"].index(blocks[2])
            section["blocks"].insert(
                index + 1, {"type": "paragraph", "number": 99, "text": "A wholly new paragraph on pangolins."}
            )
    old = make_version(report, user, old_snapshot, 1)
    new = make_version(report, user, new_snapshot, 2)

    client.force_login(user)
    detail = client.get(report.get_absolute_url()).content.decode()
    compare_url = reverse("reports:version_compare", kwargs={"pk": report.pk})
    assert f'action="{compare_url}"' in detail and f'name="v" value="{old.pk}"' in detail

    page = client.get(compare_url, {"v": [new.pk, old.pk]}).content.decode()
    assert "1 paragraph added" in page and "1 paragraph removed" in page and "1 paragraph changed" in page
    assert "<ins>A wholly new paragraph on pangolins.</ins>" in page
    assert f"<del>{escape(removed_text)}</del>" in page
    assert '<ins class="bg-success-subtle"> Progress was reviewed in Lomé.</ins>' in page
    assert page.index("Version 1 and version 2 compared") >= 0

    differences = compare_snapshots(old.snapshot, new.snapshot)
    assert [d.kind for d in differences].count("removed") == 1
    assert next(d for d in differences if d.kind == "removed").old.text == removed_text


def test_the_compare_page_needs_two_versions_and_follows_the_versions_access(world, client):
    user = world.users["case_manager"]
    report = make_report([world.own], user=user)
    snapshot = build_snapshot(report)
    old, new = make_version(report, user, snapshot, 1), make_version(report, user, snapshot, 2)
    url = reverse("reports:version_compare", kwargs={"pk": report.pk})
    client.force_login(user)
    one = client.get(url, {"v": [old.pk]})
    assert one.status_code == 302 and one["Location"].endswith("#versions")
    same = client.get(url, {"v": [old.pk, new.pk]})
    assert same.status_code == 200 and "The two versions have the same paragraphs." in same.content.decode()
    # A focal point sees the versions of a final report only.
    client.force_login(world.users["ma_focal_point"])
    assert client.get(url, {"v": [old.pk, new.pk]}).status_code == 404
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.FINAL)
    assert client.get(url, {"v": [old.pk, new.pk]}).status_code == 200
    other = make_report([world.own], user=user, symbol="SC78 Doc. 24")
    assert (
        client.get(
            reverse("reports:version_compare", kwargs={"pk": other.pk}), {"v": [old.pk, new.pk]}
        ).status_code
        == 404
    )
