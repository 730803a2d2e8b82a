"""Celery tasks of the portfolio app: thin wrappers that take ids. The daily reminders and digests
are scheduled in CELERY_BEAT_SCHEDULE; a hand-over's e-mail is queued by ``portfolio.notify``."""

import datetime

from celery import shared_task


@shared_task(name="portfolio.send_reminders")
def send_reminders(today: str | None = None) -> int:
    """Send the reminders due today (or on ``today``, an ISO date); returns how many were logged
    (e-mailed at once, or waiting for the recipient's digest)."""
    from .reminders import send_reminders as send

    day = datetime.date.fromisoformat(today) if today else None
    return len(send(day))


@shared_task(name="portfolio.send_notification_email")
def send_notification_email(recipient_id: int, content_type_id: int, object_id: int) -> int:
    """E-mail a recipient's unsent notifications about one object as one message (queued with a
    countdown, so a burst of changes is one e-mail)."""
    from .notify import notifications_email_send

    return notifications_email_send(
        recipient_id=recipient_id, content_type_id=content_type_id, object_id=object_id
    )


@shared_task(name="portfolio.send_digests")
def send_digests() -> int:
    """Send today's digests (one e-mail per digest user); returns how many e-mails went out."""
    from .notify import digests_send

    return digests_send()
