"""Donor statements (issue 16.1): a financial and narrative statement per legal instrument for a
period, rendered by a worker as PDF (the SC report's path, WeasyPrint) and XLSX (totals as
formulas), and kept for good as a numbered version with the SHA-256 of each file.

A :class:`DonorStatement` is both the render job (``state``, ``percent``, ``message``: what the
progress bar shows) and, once done, the version (``number``, files, checksums, the snapshot of the
figures it was rendered from). Who sees it is who sees its legal instrument: the Secretariat, the
Party's focal points, and the donor observers of a donor that funds the instrument.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES, FUNDED_READER_ROLES, AccessPolicy, RestrictedQuerySet
from cap_portal.models import BaseModel
from parties.choices import WorkingLanguage

# Read as the legal instrument is read (budgets.models.agreement_policy): the Secretariat, the
# Party's focal points, the donor observers of a donor funding it. Produced by case managers; a
# statement is never changed or deleted (it is what was sent to the donor).
STATEMENT_POLICY = AccessPolicy(
    party_path="instrument__cap_case__party",
    donor_path="instrument__funding_sources__donor",
    view=FUNDED_READER_ROLES,
    add=CASE_MANAGER_ROLES,
)


class StatementState(models.TextChoices):
    """Where a statement's render stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class DonorStatementQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("instrument__cap_case__party", "requested_by").order_by("-created", "-pk")

    def done(self):
        return self.filter(state=StatementState.DONE)


def statement_upload_to(instance, filename: str) -> str:
    """Under MEDIA_ROOT (or the bucket) with a random name: served only through a checked view."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"statements/{instance.instrument_id}/{uuid.uuid4().hex}.{extension}"


class DonorStatement(BaseModel):
    """A statement of one legal instrument for a period (``period_start``–``period_end``), in a
    working language: funds agreed, installments received, expenditure by budget line and category
    against the budget, balance, absorption, no-cost extensions and the accepted progress
    narratives. Requested by a case manager, rendered by a worker; version ``number`` (per
    instrument) once done."""

    instrument = models.ForeignKey(
        "budgets.LegalInstrument",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("legal instrument"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    language = models.CharField(
        _("language"), max_length=2, choices=WorkingLanguage.choices, default=WorkingLanguage.ENGLISH
    )
    state = models.CharField(
        _("state"), max_length=10, choices=StatementState.choices, default=StatementState.QUEUED
    )
    percent = models.PositiveSmallIntegerField(_("percent"), default=0)
    message = models.TextField(_("message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=statement_upload_to, max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=statement_upload_to, max_length=255, blank=True)
    xlsx_sha256 = models.CharField(_("SHA-256 of the XLSX"), max_length=64, blank=True)
    snapshot = models.JSONField(_("snapshot of the figures"), null=True, blank=True, editable=False)

    access_policy = STATEMENT_POLICY
    objects = DonorStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("donor statement")
        verbose_name_plural = _("donor statements")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"],
                condition=models.Q(number__isnull=False),
                name="statement_version_unique",
            ),
        ]

    def __str__(self):
        if self.number:
            return _("Statement %(number)s of %(instrument)s") % {
                "number": self.number,
                "instrument": self.instrument,
            }
        return _("Statement of %(instrument)s (in preparation)") % {"instrument": self.instrument}

    def get_absolute_url(self):
        return reverse("statements:statement_detail", kwargs={"pk": self.pk})

    def get_pdf_url(self):
        return reverse("statements:statement_pdf", kwargs={"pk": self.pk})

    def get_xlsx_url(self):
        return reverse("statements:statement_xlsx", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.state in (StatementState.DONE, StatementState.FAILED)

    @property
    def file_stem(self) -> str:
        """The name the files are downloaded under: "<reference> statement v<n>"."""
        return f"{self.instrument.reference} statement v{self.number or 0}".replace("/", "-")

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
