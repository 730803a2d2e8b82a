"""Celery tasks of the portfolio app: the daily reminders (scheduled in CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task


@shared_task(name="portfolio.send_reminders")
def send_reminders(today: str | None = None) -> int:
    """Send the reminders due today (or on ``today``, an ISO date); returns how many went out."""
    from .reminders import send_reminders as send

    day = datetime.date.fromisoformat(today) if today else None
    return len(send(day))
