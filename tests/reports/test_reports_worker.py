"""The render through a real Celery worker on Redis (CI; skipped locally without REDIS_URL)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from cap_portal.celery import app
from reports.choices import RenderState
from reports.models import ReportRender, ReportVersion
from reports.services import report_render_request

from .conftest import make_report


@pytest.mark.redis
# serialized_rollback: the flush after this test then leaves the content types for the next
# serialized test (tests/cap_portal/test_backup.py) to restore without duplicates.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_redis_backed_worker_renders_the_report(redis_url, world, settings):
    """The request commits, the job goes through Redis, a worker renders it; the job is followed
    from queued to done and the version appears."""
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    user = world.users["case_manager"]
    report = make_report([world.own, world.other], user=user)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            with transaction.atomic():
                job = report_render_request(report=report, user=user)
            seen = set()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                job = ReportRender.objects.get(pk=job.pk)
                seen.add(job.state)
                if job.is_finished:
                    break
                time.sleep(0.2)
    finally:
        app.conf.update(task_always_eager=True)
    assert job.state == RenderState.DONE, job.message
    assert job.percent == 100
    version = ReportVersion.objects.get(render=job)
    assert version.page_count >= 3 and len(version.sha256) == 64
    assert seen & {RenderState.QUEUED, RenderState.RUNNING}
