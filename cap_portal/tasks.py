from celery import shared_task
from django.conf import settings


@shared_task
def ping(message: str = "") -> str:
    """A no-op round trip, used to check that a worker is consuming the queue."""
    return f"pong: {message}"


@shared_task(
    # Acknowledged on receipt: a backup takes longer than the broker's visibility timeout on a
    # large portfolio, and a message redelivered meanwhile would start a second one. A worker
    # that dies mid-backup loses that night's archive (the failure shows: no "Backup written").
    acks_late=False,
    ignore_result=True,
    soft_time_limit=settings.BACKUP_TASK_TIME_LIMIT - 60,
    time_limit=settings.BACKUP_TASK_TIME_LIMIT,
)
def scheduled_backup() -> dict:
    """Nightly when BACKUP_SCHEDULE_ENABLED (CELERY_BEAT_SCHEDULE): a dated archive in BACKUP_DIR,
    the last BACKUP_KEEP kept, the outcome in the case managers' notification log."""
    from .backup import backup_scheduled

    return backup_scheduled()
