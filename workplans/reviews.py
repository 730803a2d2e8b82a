"""The review fields of records a case manager accepts or returns (progress updates, deliverables,
results), declared once. The steps that change them are ``workplans.workflow.review_transitions``
and ``record_review``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ReviewStatus


class Reviewed(models.Model):
    """Where the review stands, who reviewed, when, and the comment sent back."""

    review_status = models.CharField(
        _("review"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.SUBMITTED,
        editable=False,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, editable=False)
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)

    class Meta:
        abstract = True


class SubmittedForReview(Reviewed):
    """… and who submitted it (the four-eyes rule compares the two)."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        abstract = True
