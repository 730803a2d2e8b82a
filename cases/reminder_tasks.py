"""Celery tasks of the dashboard slice: the daily reminders (scheduled in CELERY_BEAT_SCHEDULE).

Discovered by ``app.autodiscover_tasks(related_name="reminder_tasks")`` in cap_portal/celery.py.
"""

import datetime

from celery import shared_task


@shared_task(name="cases.send_reminders")
def send_reminders(today: str | None = None) -> int:
    """Send the reminders due today (or on ``today``, an ISO date); returns how many went out."""
    from .reminders import send_reminders as send

    day = datetime.date.fromisoformat(today) if today else None
    return len(send(day))
