"""Thin Celery wrappers: the work is in ``reports.services``."""

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

# Generous but bounded (settings: RENDER_TASK_*); the broker's visibility timeout is longer.
RENDER_SOFT_TIME_LIMIT = settings.RENDER_TASK_SOFT_TIME_LIMIT
RENDER_TIME_LIMIT = settings.RENDER_TASK_TIME_LIMIT


class RenderTask(Task):
    """Marks the job failed when the task gives up (retries exhausted, hard time limit)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .services import report_render_fail

        render_id = args[0] if args else kwargs.get("render_id")
        if render_id is not None:
            report_render_fail(render_id=render_id, message=str(exc) or exc.__class__.__name__)


# How every document render runs (SC reports here, donor statements in statements.tasks).
RENDER_TASK_OPTIONS = {
    "acks_late": True,  # a worker killed mid-render leaves the message on the queue…
    "reject_on_worker_lost": True,  # …and it is redelivered to another worker
    "autoretry_for": (OperationalError, InterfaceError),  # the database was briefly unreachable
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": RENDER_SOFT_TIME_LIMIT,
    "time_limit": RENDER_TIME_LIMIT,
}


@shared_task(base=RenderTask, **RENDER_TASK_OPTIONS)
def render_report(render_id: int) -> int | None:
    """Render job ``render_id``; returns the id of the version produced (None when it failed)."""
    from .services import report_render_run

    version = report_render_run(render_id=render_id)
    return version.pk if version else None


@shared_task(name="reports.reap_stalled_renders", ignore_result=True)
def reap_stalled_renders() -> list[int]:
    """Every minute (CELERY_BEAT_SCHEDULE): re-queue or fail the render jobs whose worker died."""
    from .services import render_reap_stalled

    return render_reap_stalled()
