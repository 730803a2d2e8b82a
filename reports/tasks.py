"""Thin Celery wrappers: the work is in ``reports.services``."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

# Generous but bounded: a 185-Party report renders in well under this (see docs/reports.md).
RENDER_SOFT_TIME_LIMIT = 10 * 60
RENDER_TIME_LIMIT = 11 * 60


class RenderTask(Task):
    """Marks the job failed when the task gives up (retries exhausted, hard time limit)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .services import report_render_fail

        render_id = args[0] if args else kwargs.get("render_id")
        if render_id is not None:
            report_render_fail(render_id=render_id, message=str(exc) or exc.__class__.__name__)


@shared_task(
    base=RenderTask,
    acks_late=True,  # a worker killed mid-render leaves the message on the queue…
    reject_on_worker_lost=True,  # …and it is redelivered to another worker
    autoretry_for=(OperationalError, InterfaceError),  # the database was briefly unreachable
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=RENDER_SOFT_TIME_LIMIT,
    time_limit=RENDER_TIME_LIMIT,
)
def render_report(render_id: int) -> int | None:
    """Render job ``render_id``; returns the id of the version produced (None when it failed)."""
    from .services import report_render_run

    version = report_render_run(render_id=render_id)
    return version.pk if version else None
