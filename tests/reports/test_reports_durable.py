"""Durable jobs: a worker killed in the middle of a render loses nothing. Its job stops beating; the
reaper (reports.reap_stalled_renders) notices within RENDER_STALL_AFTER, fails it and queues a new
job; the dead worker's message goes back to the queue too (late acknowledgement, visibility
timeout) but finds its job failed. A restarted worker completes the new job, and exactly one
version exists."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from cap_portal.celery import app
from reports.choices import RenderState
from reports.models import ReportRender, ReportVersion
from reports.services import render_reap_stalled, report_render_request

from .conftest import make_report

VISIBILITY_TIMEOUT = 5  # seconds, for this test only
HEARTBEAT_INTERVAL = 0.5  # seconds, the workers' heartbeat in this test
STALL_AFTER = 3  # seconds without a heartbeat: the worker is dead (two minutes in production)


def start_worker(redis_url: str, media_root) -> subprocess.Popen:
    """A real `celery worker` process on the test database and Redis."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cap_portal.settings.test",
        "DATABASE_URL": "postgres://{}@{}:{}/{}".format(
            db["USER"], db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["NAME"]
        ),
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media_root),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "RENDER_HEARTBEAT_INTERVAL": str(HEARTBEAT_INTERVAL),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cap_portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        cwd=django_settings.BASE_DIR,
    )


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killed_worker_mid_render_loses_nothing(postgresql, redis_url, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    redis_db = redis_url  # this test process's own database, emptied by the fixture
    app.conf.update(
        broker_url=redis_db,
        result_backend=redis_db,
        task_always_eager=False,
        broker_transport_options={
            **django_settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            "visibility_timeout": VISIBILITY_TIMEOUT,
        },
    )
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.RENDER_STALL_AFTER = STALL_AFTER  # the reaper runs in this process, called directly
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    first = start_worker(redis_db, tmp_path)
    second = None
    try:
        with transaction.atomic():
            job = report_render_request(report=report, user=user)
        wait_for(
            lambda: ReportRender.objects.get(pk=job.pk).state == RenderState.RUNNING,
            90,
            "the render to start",
        )
        os.kill(first.pid, signal.SIGKILL)  # mid-render: no chance to acknowledge or clean up
        first.wait(timeout=10)
        killed = ReportRender.objects.get(pk=job.pk)
        assert killed.state == RenderState.RUNNING and not ReportVersion.objects.filter(render=job).exists()
        assert killed.heartbeat_at is not None
        # Its heartbeat is fresh: the reaper leaves it alone; once it is older than the stall
        # interval, the reaper fails it and queues a new job (on commit, to Redis).
        assert render_reap_stalled() == []
        requeued = wait_for(render_reap_stalled, STALL_AFTER + 10, "the reaper to notice the dead worker")
        killed.refresh_from_db()
        assert killed.state == RenderState.FAILED and "its worker stopped" in killed.message
        assert (timezone.now() - killed.heartbeat_at).total_seconds() < STALL_AFTER + 10
        retry = ReportRender.objects.get(retry_of=job)
        assert requeued == [retry.pk]

        # The second worker takes the new job, and the dead worker's message (redelivered after
        # the visibility timeout), which finds its job failed and renders nothing.
        second = start_worker(redis_db, tmp_path)
        done = wait_for(
            lambda: (r := ReportRender.objects.get(pk=retry.pk)).is_finished and r,
            180,
            "the render to finish",
        )
        assert done.state == RenderState.DONE, done.message
        time.sleep(VISIBILITY_TIMEOUT + 2)  # the old message has come back and been dealt with
        assert ReportRender.objects.get(pk=job.pk).state == RenderState.FAILED
        assert not ReportVersion.objects.filter(render=job).exists()
        assert ReportVersion.objects.filter(render=retry).count() == 1
        assert ReportVersion.objects.filter(report=report).count() == 1
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
        app.conf.update(
            task_always_eager=True, broker_transport_options=django_settings.CELERY_BROKER_TRANSPORT_OPTIONS
        )
