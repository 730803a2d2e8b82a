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
