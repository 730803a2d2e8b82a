"""Celery on a real Redis broker: a worker runs the tasks the portal sends."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from cap_portal.celery import app
from cap_portal.tasks import ping


@pytest.mark.redis
def test_a_redis_backed_worker_runs_tasks_and_answers_health_checks(redis_url, client, settings):
    """With REDIS_URL, a task goes through Redis to a worker; /healthz then reports the worker."""
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = ping.delay("hello")
            assert result.get(timeout=20) == "pong: hello"
            # The health check waits a second for the workers' replies; on a busy machine the
            # in-process worker may answer later, so ask again for up to half a minute.
            deadline = time.monotonic() + 30
            while True:
                body = client.get("/healthz").json()
                if body["checks"]["worker"]["ok"] or time.monotonic() > deadline:
                    break
            assert body["checks"]["broker"]["ok"] is True
            assert body["checks"]["worker"]["ok"] is True, (body, app.control.ping(timeout=5))
            assert body["checks"]["worker"]["workers"] >= 1
    finally:
        app.conf.update(task_always_eager=True)


def test_a_starting_worker_loads_the_report_renderer_once_before_its_pool(caplog):
    """Celery's ``worker_init`` (the worker's main process, before it forks its pool) loads what
    every report needs (``reports.documents.warm_up``: WeasyPrint, the document's template, the
    charts' fonts, the catalogues), so that a worker's first report does not."""
    from celery.signals import worker_init

    with caplog.at_level("INFO", logger="cap_portal.celery"):
        worker_init.send(sender=None)
    assert [record.getMessage().startswith("Report renderer loaded in") for record in caplog.records] == [
        True
    ]
