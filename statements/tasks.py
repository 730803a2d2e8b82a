"""Thin Celery wrappers: the work is in ``statements.services``."""

from celery import Task, shared_task

from reports.tasks import RENDER_TASK_OPTIONS


class StatementTask(Task):
    """Marks the statement failed when the task gives up (retries exhausted, hard time limit)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from .services import statement_render_fail

        statement_id = args[0] if args else kwargs.get("statement_id")
        if statement_id is not None:
            statement_render_fail(statement_id=statement_id, message=str(exc) or exc.__class__.__name__)


@shared_task(base=StatementTask, **RENDER_TASK_OPTIONS)
def render_statement(statement_id: int) -> int | None:
    """Render statement ``statement_id``; returns its id when done (None when it failed)."""
    from .services import statement_render_run

    statement = statement_render_run(statement_id=statement_id)
    return statement.pk if statement else None
