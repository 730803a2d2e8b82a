"""Hand-overs told to who acts next: the one :func:`notify`, the e-mails it leads to, the inbox.

A hand-over is declared once, as a :class:`cap_portal.workflow.Notify` (kind + audience function):
on a workflow step (``Transition(notify=…)``, called by the engine) or beside an app's workflow
for the events that are not steps (an installment received, a role granted, a progress update
submitted), whose service calls :func:`notify`.

- :func:`notify` writes one :class:`~portfolio.models.Notification` per recipient (the audience,
  without the actor), in the recipient's language (:func:`portfolio.preferences.recipient_languages`),
  inside the step's transaction: the inbox and the log hold it as soon as the step is committed.
- After commit, each recipient who takes this kind at once gets an e-mail task with a countdown of
  ``NOTIFICATION_COALESCE_MINUTES``: the task sends every still-unsent notification of that
  recipient about that object as one message, so a burst of changes is one e-mail.
- Recipients who chose the daily digest for the kind get one e-mail a day (:func:`digests_send`,
  on the beat schedule) with everything that waited, due-date reminders included
  (``portfolio.reminders`` writes theirs with the same delivery).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cap_portal.workflow import Notify, party_id_of

from .choices import Delivery, NotificationKind
from .models import Notification, NotificationPreference
from .preferences import recipient_languages

logger = logging.getLogger(__name__)


def _absolute(link: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + link if link else settings.PORTAL_URL


def _link(obj) -> str:
    # A record without a page of its own (a role assignment) links to the home page.
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/"


def _compose(kind: str, obj, actor, comment: str, link: str) -> tuple[str, str]:
    """Subject and body of a hand-over, in the active language."""
    values = {"kind": NotificationKind(kind).label, "object": obj, "actor": _person(actor)}
    subject = _("%(kind)s: %(object)s") % values
    lines = [subject, _("By %(actor)s.") % values]
    if comment:
        lines.append(_("Comment: %(comment)s") % {"comment": comment})
    lines.append(_absolute(link))
    return subject, "\n\n".join(str(line) for line in lines)


def _person(user) -> str:
    if user is None:
        return str(_("the portal"))
    return user.get_full_name() or user.username


def deliveries_by_kind(users, kinds) -> dict[tuple[int, str], str]:
    """(user id, kind) → how a notification of that kind reaches that user: their choice for the
    kind (at once by default), or the portal only when they have no e-mail address (one query,
    for any number of users and kinds)."""
    users = list(users)
    kinds = [str(kind) for kind in kinds]
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in NotificationPreference.objects.filter(
            user__in=[u.pk for u in users], kind__in=kinds
        ).values_list("user_id", "kind", "delivery")
    }
    return {
        (u.pk, kind): (chosen.get((u.pk, kind), Delivery.IMMEDIATE) if u.email else Delivery.PORTAL)
        for u in users
        for kind in kinds
    }


def deliveries_for(users, kind: str) -> dict[int, str]:
    """User id → how a notification of ``kind`` reaches them (see :func:`deliveries_by_kind`)."""
    return {user_id: delivery for (user_id, _kind), delivery in deliveries_by_kind(users, [kind]).items()}


def notify(handover: Notify, *, obj, actor, comment: str = "") -> list[Notification]:
    """Tell the audience of ``handover`` about ``obj``: one inbox row each (never the actor,
    never an inactive account), each in its recipient's language; e-mails after commit."""
    actor_id = getattr(actor, "pk", None)
    recipients = []
    seen = set()
    for user in handover.audience(obj, actor=actor):
        if user is None or user.pk in seen or user.pk == actor_id or not user.is_active:
            continue
        seen.add(user.pk)
        recipients.append(user)
    if not recipients:
        return []
    languages = recipient_languages(recipients)
    deliveries = deliveries_for(recipients, handover.kind)
    content_type = ContentType.objects.get_for_model(obj)
    party_id = party_id_of(obj) if hasattr(type(obj), "access_policy") else None
    link = _link(obj)
    now = timezone.now()
    rows = []
    for user in recipients:
        with translation.override(languages[user.pk]):
            subject, body = _compose(handover.kind, obj, actor, comment, link)
        rows.append(
            Notification(
                recipient=user,
                party_id=party_id,
                kind=handover.kind,
                subject=subject[:255],
                body=body,
                sent_at=now,
                content_type=content_type,
                object_id=obj.pk,
                key=f"{handover.kind}:{content_type.model}:{obj.pk}:{uuid.uuid4().hex}",
                actor=actor if actor_id else None,
                link=link[:500],
                delivery=deliveries[user.pk],
            )
        )
    Notification.objects.bulk_create(rows)
    immediate = [row.recipient_id for row in rows if row.delivery == Delivery.IMMEDIATE]
    if immediate:
        transaction.on_commit(lambda: _queue_emails(immediate, content_type.pk, obj.pk))
    return rows


def _queue_emails(recipient_ids, content_type_id: int, object_id: int) -> None:
    from .tasks import send_notification_email

    countdown = settings.NOTIFICATION_COALESCE_MINUTES * 60
    for recipient_id in recipient_ids:
        try:
            send_notification_email.apply_async(
                args=[recipient_id, content_type_id, object_id], countdown=countdown
            )
        except Exception:  # the broker down: the daily sweep (digests_send) sends it later
            logger.exception("Could not queue the notification e-mail of user %s", recipient_id)


def _pending(**filters):
    return (
        Notification.objects.filter(emailed_at__isnull=True, **filters)
        .select_related("recipient")
        .order_by("sent_at", "pk")
    )


def _mark_emailed(rows, email: str) -> None:
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
        emailed_at=timezone.now(), email=email
    )


@transaction.atomic
def notifications_email_send(*, recipient_id: int, content_type_id: int, object_id: int) -> int:
    """E-mail every still-unsent notification of one recipient about one object as one message
    (a burst within the coalescing window is one e-mail); returns how many it carried."""
    rows = list(
        _pending(
            recipient_id=recipient_id,
            content_type_id=content_type_id,
            object_id=object_id,
            delivery=Delivery.IMMEDIATE,
        ).select_for_update(skip_locked=True, of=("self",))
    )
    if not rows:
        return 0
    user = rows[0].recipient
    if not user.email or not user.is_active:
        _mark_emailed(rows, "")
        return len(rows)
    if len(rows) == 1:
        subject, body = rows[0].subject, rows[0].body
    else:
        with translation.override(recipient_languages([user])[user.pk]):
            subject = _("%(count)s updates: %(object)s") % {"count": len(rows), "object": rows[-1].subject}
        body = "\n\n———\n\n".join(row.body for row in rows)
    send_mail(subject[:255], body, None, [user.email])
    _mark_emailed(rows, user.email)
    return len(rows)


def digests_send(*, now=None) -> int:
    """Send each digest user one e-mail with every notification that waited for it (run daily);
    also send the at-once e-mails whose task was lost (older than twice the coalescing window).
    Returns how many e-mails went out."""
    now = now or timezone.now()
    sent = 0
    by_user = defaultdict(list)
    for row in _pending(delivery=Delivery.DIGEST):
        by_user[row.recipient_id].append(row)
    languages = recipient_languages([rows[0].recipient for rows in by_user.values()])
    for user_id, rows in by_user.items():
        user = rows[0].recipient
        with transaction.atomic():
            # Locked and read again: two runs at once send one digest.
            locked = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[r.pk for r in rows], emailed_at__isnull=True)
                .order_by("sent_at", "pk")
            )
            if not locked:
                continue
            if not user.email or not user.is_active:
                _mark_emailed(locked, "")
                continue
            with translation.override(languages[user_id]):
                subject = _("CAP Portal: %(count)s notifications of %(date)s") % {
                    "count": len(locked),
                    "date": formats.date_format(timezone.localtime(now).date(), "DATE_FORMAT"),
                }
                intro = _("What happened in the CAP Portal since your last digest:")
            body = "\n\n———\n\n".join([intro, *(row.body for row in locked)])
            send_mail(subject[:255], body, None, [user.email])
            _mark_emailed(locked, user.email)
            sent += 1
    stale = now - datetime.timedelta(minutes=2 * settings.NOTIFICATION_COALESCE_MINUTES)
    lost = _pending(delivery=Delivery.IMMEDIATE, sent_at__lt=stale).values_list(
        "recipient_id", "content_type_id", "object_id"
    )
    for recipient_id, content_type_id, object_id in set(lost):
        if notifications_email_send(
            recipient_id=recipient_id, content_type_id=content_type_id, object_id=object_id
        ):
            sent += 1
    return sent


# --- the inbox ------------------------------------------------------------------------------------


def inbox(user):
    """The user's own notifications, unread first, newest first."""
    from django.db.models import F

    return (
        Notification.objects.filter(recipient=user)
        .select_related("actor")
        .order_by(F("read_at").asc(nulls_first=True), "-sent_at", "-pk")
    )


def unread_count(user) -> int:
    """How many of the user's notifications are unread (one query, on the recipient/read index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications read, or all of them (``notification`` None);
    another person's notification is not theirs to mark (none changed). Returns how many."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        rows = rows.filter(pk=notification.pk)
    return rows.update(read_at=timezone.now())
