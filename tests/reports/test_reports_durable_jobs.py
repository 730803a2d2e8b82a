"""Durable render jobs without a real worker: the heartbeat, the reaper that re-queues a job whose
worker died once and fails it the second time, /healthz reporting stuck jobs, and the broker's
visibility timeout against the task time limits. The real worker killed mid-render is in
test_reports_durable.py."""

import datetime
import time

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from reports import services, tasks
from reports.choices import RenderState
from reports.models import ReportRender, ReportVersion

from .conftest import make_report

pytestmark = pytest.mark.django_db


def queued_job(world, report=None):
    """A job queued and not run (no worker here: the commit callbacks are not executed)."""
    user = world.users["case_manager"]
    report = report or make_report([world.own], user=user)
    with transaction.atomic():
        return services.report_render_request(report=report, user=user)


def running(job, heartbeat_age: datetime.timedelta | None, percent=40):
    now = timezone.now()
    ReportRender.objects.filter(pk=job.pk).update(
        state=RenderState.RUNNING,
        percent=percent,
        started_at=now - datetime.timedelta(minutes=5),
        heartbeat_at=None if heartbeat_age is None else now - heartbeat_age,
    )
    job.refresh_from_db()
    return job


def test_the_reaper_requeues_a_stalled_job_once_and_fails_it_the_second_time(world):
    job = running(queued_job(world), datetime.timedelta(minutes=3))

    requeued = tasks.reap_stalled_renders()

    job.refresh_from_db()
    assert job.state == RenderState.FAILED and job.finished_at is not None
    retry = ReportRender.objects.get(retry_of=job)
    assert requeued == [retry.pk]
    assert retry.state == RenderState.QUEUED and retry.report_id == job.report_id
    assert retry.requested_by_id == job.requested_by_id and retry.source_version_id == job.source_version_id
    assert "its worker stopped" in job.message and f"job {retry.pk}" in job.message
    # The late delivery of the dead worker's message renders nothing: one version per job.
    assert services.report_render_run(render_id=job.pk) is None

    running(retry, datetime.timedelta(minutes=3))
    assert tasks.reap_stalled_renders() == []
    retry.refresh_from_db()
    assert retry.state == RenderState.FAILED and "stopped again" in retry.message
    assert not ReportRender.objects.filter(retry_of=retry).exists()
    assert ReportRender.objects.filter(report=job.report).count() == 2
    assert not ReportVersion.objects.exists()


def test_a_job_with_a_fresh_heartbeat_or_just_started_is_left_alone(world):
    beating = running(queued_job(world), datetime.timedelta(seconds=30))
    other = queued_job(
        world, make_report([world.other], user=world.users["case_manager"], symbol="SC78 Doc. 24")
    )
    assert services.render_reap_stalled() == []
    beating.refresh_from_db()
    other.refresh_from_db()
    assert beating.state == RenderState.RUNNING and beating.percent == 40
    assert other.state == RenderState.QUEUED
    # Without any heartbeat (a worker of before the heartbeat), the start counts.
    assert services.render_reap_stalled(now=timezone.now() + datetime.timedelta(minutes=3)) != []


def test_a_job_queued_longer_than_the_visibility_timeout_is_requeued(world):
    job = queued_job(world)
    lost = timezone.now() - services.render_queue_lost_after() - datetime.timedelta(minutes=1)
    ReportRender.objects.filter(pk=job.pk).update(created=lost)
    requeued = services.render_reap_stalled()
    job.refresh_from_db()
    assert job.state == RenderState.FAILED and "no worker took it" in job.message
    assert requeued == [ReportRender.objects.get(retry_of=job).pk]


def test_a_job_reaped_while_its_slow_worker_still_runs_records_no_version(world, monkeypatch):
    """The worker only looked dead: at its next step it finds the job failed and stops."""
    job = queued_job(world)
    real_render_pdf = services.render_pdf

    def render_pdf_while_reaped(html):
        ReportRender.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - datetime.timedelta(minutes=3)
        )
        assert services.render_reap_stalled() != []
        return real_render_pdf(html)

    monkeypatch.setattr(services, "render_pdf", render_pdf_while_reaped)
    assert services.report_render_run(render_id=job.pk) is None
    job.refresh_from_db()
    assert job.state == RenderState.FAILED and job.percent == 0
    assert not ReportVersion.objects.exists()


def test_a_reaped_job_is_retried_through_the_api(world, api_client, django_capture_on_commit_callbacks):
    job = running(queued_job(world), datetime.timedelta(minutes=3))
    services.render_reap_stalled()
    retry = ReportRender.objects.get(retry_of=job)
    running(retry, datetime.timedelta(minutes=3))
    services.render_reap_stalled()
    api_client.force_login(world.users["case_manager"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(reverse("api:report-render-retry", kwargs={"pk": retry.pk}))
    assert response.status_code == 202, response.content
    assert response.json()["retry_of"] == retry.pk
    done = ReportRender.objects.get(pk=response.json()["id"])
    assert done.state == RenderState.DONE and ReportVersion.objects.get().render == done


def test_healthz_counts_stalled_renders_and_is_503(world, client):
    healthy = client.get("/healthz")
    assert healthy.status_code == 200
    assert healthy.json()["checks"]["jobs"] == {
        "ok": True,
        "stalled_renders": 0,
        "stalled_after_seconds": 120,
    }

    running(queued_job(world), datetime.timedelta(seconds=30))
    assert client.get("/healthz").status_code == 200
    stalled = queued_job(
        world, make_report([world.other], user=world.users["case_manager"], symbol="SC78 Doc. 24")
    )
    running(stalled, datetime.timedelta(minutes=3))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["jobs"]["ok"] is False and body["checks"]["jobs"]["stalled_renders"] == 1
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_heartbeat_thread_beats_while_weasyprint_works(world, settings, monkeypatch):
    """Between two progress steps (a long PDF), the job's heartbeat_at keeps moving."""
    settings.RENDER_HEARTBEAT_INTERVAL = 0.2
    monkeypatch.setattr(services, "_enqueue", lambda render_id: None)  # committed, but run below
    job = queued_job(world)
    seen = []
    real_render_pdf = services.render_pdf

    def slow_render_pdf(html):
        for _ in range(6):
            seen.append(ReportRender.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk))
            time.sleep(0.25)
        return real_render_pdf(html)

    monkeypatch.setattr(services, "render_pdf", slow_render_pdf)
    version = services.report_render_run(render_id=job.pk)
    assert version is not None
    assert all(seen) and len(set(seen)) >= 3, seen  # refreshed without any progress step
    job.refresh_from_db()
    assert job.state == RenderState.DONE and job.heartbeat_at >= seen[-1]


def test_the_broker_visibility_timeout_outlasts_every_hard_time_limit():
    """A message still being worked on is never handed to a second worker."""
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    render_task = tasks.render_report
    assert render_task.time_limit == django_settings.RENDER_TASK_TIME_LIMIT
    assert render_task.soft_time_limit == django_settings.RENDER_TASK_SOFT_TIME_LIMIT < render_task.time_limit
    assert visibility > render_task.time_limit
    assert visibility > django_settings.CELERY_TASK_TIME_LIMIT
    # The heartbeat beats several times within the stall interval; the reaper runs often enough.
    assert django_settings.RENDER_HEARTBEAT_INTERVAL * 3 <= django_settings.RENDER_STALL_AFTER == 120
    reaper = django_settings.CELERY_BEAT_SCHEDULE["reap-stalled-renders"]
    assert reaper["task"] == tasks.reap_stalled_renders.name == "reports.reap_stalled_renders"
    assert reaper["schedule"] <= 60


def test_the_api_shows_a_running_jobs_heartbeat(world, api_client):
    job = running(queued_job(world), datetime.timedelta(seconds=5))
    api_client.force_login(world.users["case_manager"])
    body = api_client.get(reverse("api:report-render-detail", args=[job.pk])).json()
    assert body["state"] == RenderState.RUNNING
    assert datetime.datetime.fromisoformat(body["heartbeat_at"]) == job.heartbeat_at
