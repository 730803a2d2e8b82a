"""Thin Celery wrappers: the work is in ``statements.services``."""

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError


class StatementTask(Task):
    """Marks the statement failed when the task gives up (retries exhausted, hard time limit)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .services import statement_render_fail

        statement_id = args[0] if args else kwargs.get("statement_id")
        if statement_id is not None:
            statement_render_fail(statement_id=statement_id, message=str(exc) or exc.__class__.__name__)


@shared_task(
    base=StatementTask,
    acks_late=True,  # a worker killed mid-render leaves the message on the queue…
    reject_on_worker_lost=True,  # …and it is redelivered to another worker
    autoretry_for=(OperationalError, InterfaceError),  # the database was briefly unreachable
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.RENDER_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.RENDER_TASK_TIME_LIMIT,
)
def render_statement(statement_id: int) -> int | None:
    """Render statement ``statement_id``; returns its id when done (None when it failed)."""
    from .services import statement_render_run

    statement = statement_render_run(statement_id=statement_id)
    return statement.pk if statement else None
