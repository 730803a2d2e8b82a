"""Reminder e-mails before and after due dates (issue 7): progress updates due, milestones and the
end of funding agreements. Run daily by Celery beat (``portfolio.tasks.send_reminders``).

A reminder goes out on the days ``settings.REMINDER_DAYS_BEFORE`` before and
``settings.REMINDER_DAYS_AFTER`` after the due date; a run that missed a day catches up within
``settings.REMINDER_CATCH_UP_DAYS``. Each is logged as a :class:`~cases.models.Notification`
whose key (object, due date, offset) makes it go out once per recipient, however often it runs:
at once, or in the daily digest for a recipient who chose it for that kind of reminder. E-mails are
written in the recipient's language (``portfolio.preferences.recipient_language``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from budgets.models import LegalInstrument
from cap_portal.access import MA_ROLES, SA_ROLES
from parties.models import RoleAssignment
from workplans.choices import SA_REPORTED_ENTITIES, WorkplanStatus
from workplans.models import Activity, Milestone
from workplans.reporting import activities_due_an_update, update_due_date

from .choices import Delivery
from .models import Notification, NotificationKind
from .notify import deliveries_by_kind
from .preferences import recipient_languages


@dataclass(frozen=True)
class Due:
    """Something due on a date, for the users who must act on it."""

    kind_before: str
    kind_after: str
    obj: object
    party: object
    due_on: datetime.date
    recipients: tuple

    def kind(self, when: str) -> str:
        """The reminder's kind ``when`` ("before" or "after") the due date."""
        return self.kind_before if when == "before" else self.kind_after


def offset_for(due_on: datetime.date, today: datetime.date) -> tuple[str, int] | None:
    """("before", d) or ("after", d) when ``today`` is a reminder day for ``due_on``, else None.

    A reminder ``d`` days before fires on that day or, when a run was missed, up to
    ``REMINDER_CATCH_UP_DAYS`` later (but never on or after the due date for "before").
    """
    grace = settings.REMINDER_CATCH_UP_DAYS
    left = (due_on - today).days
    for days in sorted(settings.REMINDER_DAYS_BEFORE):
        if days - grace <= left <= days and left > 0:
            return ("before", days)
    late = (today - due_on).days
    for days in sorted(settings.REMINDER_DAYS_AFTER, reverse=True):
        if days <= late <= days + grace:
            return ("after", days)
    return None


def _focal_points(party_ids, roles) -> dict[int, list]:
    """Party id → the users holding one of ``roles`` for it (one query)."""
    users: dict[int, list] = {}
    assignments = RoleAssignment.objects.current().filter(party_id__in=list(party_ids), role__in=list(roles))
    for assignment in assignments.select_related("user").order_by("user__username"):
        if assignment.user.is_active:
            users.setdefault(assignment.party_id, []).append(assignment.user)
    return users


def due_items(today: datetime.date) -> list[Due]:
    """Everything with a due date near ``today``: the activities due a progress update, the
    milestones of approved plans not met, and the funding agreements' current end dates."""
    items: list[Due] = []
    activities = list(
        activities_due_an_update(Activity.objects.all(), today).select_related(
            "workplan__cap_case__party", "workplan__cap_case__case_manager"
        )
    )
    milestones = list(
        Milestone.objects.filter(
            met_on__isnull=True, workplan__status=WorkplanStatus.APPROVED
        ).select_related("workplan__cap_case__party", "workplan__cap_case__case_manager")
    )
    agreements = list(
        LegalInstrument.objects.with_current_end().select_related("cap_case__party", "cap_case__case_manager")
    )
    party_ids = {a.workplan.cap_case.party_id for a in activities}
    party_ids |= {m.workplan.cap_case.party_id for m in milestones}
    party_ids |= {i.cap_case.party_id for i in agreements}
    ma = _focal_points(party_ids, MA_ROLES)
    sa = _focal_points(party_ids, SA_ROLES)

    def people(cap_case, *groups):
        found = [u for group in groups for u in group.get(cap_case.party_id, [])]
        if cap_case.case_manager is not None:
            found.append(cap_case.case_manager)
        return tuple(dict.fromkeys(found))  # each user once, in order

    for a in activities:
        case = a.workplan.cap_case
        groups = (ma, sa) if a.responsible_entity in SA_REPORTED_ENTITIES else (ma,)
        items.append(
            Due(
                NotificationKind.PROGRESS_DUE,
                NotificationKind.PROGRESS_OVERDUE,
                a,
                case.party,
                update_due_date(a),
                people(case, *groups),
            )
        )
    for m in milestones:
        case = m.workplan.cap_case
        items.append(
            Due(
                NotificationKind.MILESTONE_DUE,
                NotificationKind.MILESTONE_OVERDUE,
                m,
                case.party,
                m.due_on,
                people(case, ma),
            )
        )
    for i in agreements:
        items.append(
            Due(
                NotificationKind.AGREEMENT_ENDING,
                NotificationKind.AGREEMENT_ENDED,
                i,
                i.cap_case.party,
                i.current_end,
                people(i.cap_case, ma),
            )
        )
    return items


def _message(due: Due, when: str, days: int) -> tuple[str, str]:
    """Subject and body, in the active language."""
    values = {"object": due.obj, "party": due.party, "date": date_format(due.due_on), "days": days}
    if isinstance(due.obj, Activity):
        subject = (
            _("Progress update due in %(days)s days: %(object)s (%(party)s)")
            if when == "before"
            else _("Progress update overdue by %(days)s days: %(object)s (%(party)s)")
        )
        action = _("Report the progress of this activity in the CAP Portal.")
    elif isinstance(due.obj, Milestone):
        subject = (
            _("Milestone due in %(days)s days: %(object)s (%(party)s)")
            if when == "before"
            else _("Milestone overdue by %(days)s days: %(object)s (%(party)s)")
        )
        action = _("Record the date it was met, or agree a corrective action.")
    else:
        subject = (
            _("Funding agreement %(object)s (%(party)s) ends in %(days)s days")
            if when == "before"
            else _("Funding agreement %(object)s (%(party)s) ended %(days)s days ago")
        )
        action = _("Extend it with a no-cost extension, or prepare the closure of the CAP case.")
    body = "\n\n".join(
        [
            subject % values,
            _("Due date: %(date)s.") % values,
            action,
            settings.PORTAL_URL.rstrip("/") + due.obj.get_absolute_url(),
        ]
    ).strip()
    return subject % values, body


def send_reminders(today: datetime.date | None = None) -> list[Notification]:
    """Send today's reminders (each once per recipient) and log them; returns the new
    notifications.

    Each recipient gets a reminder as they chose for its kind (``portfolio.notify``'s
    :func:`~portfolio.notify.deliveries_by_kind`): at once, e-mailed and logged together; or in the
    daily digest, logged now as waiting (``delivery`` digest, ``emailed_at`` empty) and e-mailed by
    :func:`portfolio.notify.digests_send`. The key makes either happen once."""
    today = today or timezone.localdate()
    sent: list[Notification] = []
    due = [(item, offset_for(item.due_on, today)) for item in due_items(today)]
    due = [(item, offset) for item, offset in due if offset]
    recipients = {u.pk: u for item, _offset in due for u in item.recipients}
    languages = recipient_languages(recipients.values())
    kinds = {item.kind(when) for item, (when, _days) in due}
    deliveries = deliveries_by_kind(recipients.values(), kinds)
    already = set(Notification.objects.filter(recipient_id__in=recipients).values_list("recipient_id", "key"))
    for item, (when, days) in due:
        content_type = ContentType.objects.get_for_model(item.obj)
        key = f"{content_type.model}:{item.obj.pk}:{item.due_on:%Y-%m-%d}:{when}:{days}"
        kind = item.kind(when)
        for user in item.recipients:
            if (user.pk, key) in already or not user.email:
                continue
            in_digest = deliveries[(user.pk, kind)] == Delivery.DIGEST
            with translation.override(languages[user.pk]):
                subject, body = _message(item, when, days)
            now = timezone.now()
            try:
                # Logged and sent together: a failed e-mail leaves no log, and is tried again.
                with transaction.atomic():
                    notification = Notification.objects.create(
                        recipient=user,
                        party=item.party,
                        kind=kind,
                        subject=subject[:255],
                        body=body,
                        sent_at=now,
                        content_type=content_type,
                        object_id=item.obj.pk,
                        key=key,
                        link=item.obj.get_absolute_url()[:500],
                        delivery=Delivery.DIGEST if in_digest else Delivery.IMMEDIATE,
                        # A digest reminder waits for digests_send, which sets both.
                        email="" if in_digest else user.email,
                        emailed_at=None if in_digest else now,
                    )
                    if not in_digest:
                        send_mail(subject, body, None, [user.email])
            except IntegrityError:  # another run logged it meanwhile
                continue
            already.add((user.pk, key))
            sent.append(notification)
    return sent
