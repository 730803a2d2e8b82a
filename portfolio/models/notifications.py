"""The notification log and users' preferences (imported by cases/models.py).

Every reminder the portal sends is a :class:`Notification` row: to whom, what, when, about which
object, and a ``key`` that makes each reminder go out once. The outcome of a scheduled backup is
logged there too, for the case managers, without a Party. A user's :class:`UserPreference`
holds their preferred language: applied at sign-in (``portfolio.preferences``) and used for the
e-mails they receive.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from cap_portal.access import READER_ROLES, AccessPolicy, RestrictedQuerySet
from cap_portal.models import BaseModel

__all__ = ["Notification", "NotificationKind", "UserPreference"]


class NotificationKind(models.TextChoices):
    PROGRESS_DUE = "progress_due", _("Progress update due")
    PROGRESS_OVERDUE = "progress_overdue", _("Progress update overdue")
    MILESTONE_DUE = "milestone_due", _("Milestone due")
    MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")
    AGREEMENT_ENDING = "agreement_ending", _("Agreement ending")
    AGREEMENT_ENDED = "agreement_ended", _("Agreement ended")
    BACKUP_DONE = "backup_done", _("Backup written")
    BACKUP_FAILED = "backup_failed", _("Backup failed")


class Notification(BaseModel):
    """One message sent by the portal (a reminder e-mail, a backup's outcome), kept as a log.

    The Secretariat reads every notification; focal points read those of their Party, and so
    never one without a Party (a backup's). Written by ``portfolio.reminders`` and
    ``cap_portal.backup.backup_scheduled``; ``email`` is empty when it was only logged.
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

    access_policy = AccessPolicy(party_path="party", view=READER_ROLES)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]

    def __str__(self):
        return self.subject


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
