"""The notification log, each person's inbox, and users' preferences (imported by cases/models.py).

Every message the portal sends is a :class:`Notification` row: to whom, what, when, about which
object, and a ``key`` that makes each reminder go out once. Reminders (``portfolio.reminders``)
and hand-overs (``portfolio.notify``: a workflow step told to who acts next) share it, and so
does the outcome of a scheduled backup (for the case managers, without a Party). The same rows
are the recipient's inbox (``read_at``). A user's :class:`UserPreference` holds their preferred
language (applied at sign-in, used for their e-mails); :class:`NotificationPreference` how each
kind of hand-over or reminder reaches them (at once or in a daily digest).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from cap_portal.access import READER_ROLES, AccessPolicy, RestrictedQuerySet
from cap_portal.models import BaseModel

from ..choices import KIND_GROUPS, Delivery, NotificationKind

__all__ = ["Notification", "NotificationKind", "NotificationPreference", "UserPreference"]


class Notification(BaseModel):
    """One message of the portal (a reminder, a hand-over, a backup's outcome), kept as a log and
    shown in its recipient's inbox.

    The Secretariat reads the whole log; focal points read that of their Party, and so never a
    notification without a Party (a backup's); each person's inbox is their own rows. Written by
    ``portfolio.reminders``, ``portfolio.notify`` and ``cap_portal.backup.backup_scheduled``.
    ``email`` is the address it was e-mailed to, empty while it waits (``delivery`` says how it
    goes: at once, coalesced with others about the same object, or in the daily digest) or when
    it was only logged.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cap_notifications",
        verbose_name=_("recipient"),
    )
    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("Party"),
        help_text=_("None for what concerns the whole portal (a backup): seen by the Secretariat only."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"))
    email = models.EmailField(_("sent to"), blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("about (kind)")
    )
    object_id = models.PositiveBigIntegerField(_("about (id)"), null=True)
    related = GenericForeignKey("content_type", "object_id")
    key = models.CharField(
        _("key"),
        max_length=200,
        help_text=_("What the reminder is for: it is sent once per recipient and key."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Who took the step the notification tells of (none for a reminder)."),
    )
    link = models.CharField(_("link"), max_length=500, blank=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    access_policy = AccessPolicy(party_path="party", view=READER_ROLES)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            # The unread count in the navigation, on every page.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # The e-mails still to send (coalesced or in the digest).
            models.Index(fields=["delivery", "emailed_at"], name="notification_pending_idx"),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return self.link

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class UserPreference(models.Model):
    """A user's preferences: the language of the interface and of the e-mails they receive."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cap_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self):
        return str(self.user)


class NotificationPreference(models.Model):
    """How one kind of notification (a hand-over or a due-date reminder, ``KIND_GROUPS``) reaches
    a person: an e-mail at once (the default, when no row exists) or one digest e-mail a day. The
    inbox shows it either way."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cap_notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(
        _("notification"),
        max_length=30,
        choices=[(kind, NotificationKind(kind).label) for kind in KIND_GROUPS],
    )
    delivery = models.CharField(
        _("delivery"),
        max_length=10,
        choices=[(Delivery.IMMEDIATE, Delivery.IMMEDIATE.label), (Delivery.DIGEST, Delivery.DIGEST.label)],
        default=Delivery.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once_per_kind")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()}: {self.get_delivery_display()}"
