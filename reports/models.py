"""The Standing Committee progress report (DOMAIN.md "The Standing Committee progress report").

A :class:`Report` is composed for one SC meeting from :class:`ReportSection` blocks whose default
text comes from the data (``reports.composers``) and which the case manager may edit. Each render
is a :class:`ReportRender` job run by a Celery worker; each successful render is a
:class:`ReportVersion` that keeps the PDF and DOCX files, their checksum and the JSON snapshot of
the composed content, so that figures stay as they stood on the report's as-of date.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES, SECRETARIAT_ROLES, AccessPolicy, RestrictedQuerySet
from cap_portal.models import BaseModel
from parties.choices import WorkingLanguage

from .choices import RenderState, ReportStatus, SectionKind

# A report concerns the whole programme, not one Party (party_path=None): the Secretariat reads
# every report; every other signed-in user (focal points, donor observers) reads final ones only.
REPORT_POLICY = AccessPolicy(
    party_path=None,
    view=SECRETARIAT_ROLES,
    add=CASE_MANAGER_ROLES,
    change=CASE_MANAGER_ROLES,
    delete=CASE_MANAGER_ROLES,
    public_q=Q(status=ReportStatus.FINAL),
)


class ReportQuerySet(RestrictedQuerySet):
    def for_table(self):
        # Explicit order: Meta.ordering is not applied to a grouped (annotated) query.
        return (
            self.prefetch_related("parties")
            .annotate(version_count=models.Count("versions"))
            .order_by("-meeting_start", "symbol", "pk")
        )


class Report(BaseModel):
    """A progress report on the CAP to a meeting of the Standing Committee (e.g. SC78 Doc. 23).

    The meeting is described on the report itself (name, place, dates) until it can point to a
    ``cases.Meeting``. ``as_of`` is the date the figures are taken at; ``parties`` the beneficiary
    Parties that get a section each.
    """

    symbol = models.CharField(_("document symbol"), max_length=40, help_text=_('E.g. "SC78 Doc. 23".'))
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_('Left empty, "Compliance Assistance Programme".')
    )
    meeting_name = models.CharField(
        _("meeting"), max_length=200, help_text=_('E.g. "Seventy-eighth meeting of the Standing Committee".')
    )
    meeting_place = models.CharField(_("place"), max_length=200, help_text=_('E.g. "Geneva (Switzerland)".'))
    meeting_start = models.DateField(_("meeting starts on"))
    meeting_end = models.DateField(_("meeting ends on"))
    agenda_headings = models.TextField(
        _("agenda headings"),
        blank=True,
        help_text=_('One per line, e.g. "Strategic matters" then "Capacity-building".'),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=WorkingLanguage.choices, default=WorkingLanguage.ENGLISH
    )
    as_of = models.DateField(
        _("figures as of"), help_text=_("The date the figures of the report are taken at.")
    )
    parties = models.ManyToManyField(
        "parties.Party", related_name="reports", blank=True, verbose_name=_("Parties included")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )

    access_policy = REPORT_POLICY
    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_start", "symbol"]
        verbose_name = _("SC report")
        verbose_name_plural = _("SC reports")

    def __str__(self):
        return self.symbol

    def get_absolute_url(self):
        return reverse("reports:report_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.meeting_start and self.meeting_end and self.meeting_end < self.meeting_start:
            raise ValidationError({"meeting_end": _("A meeting cannot end before it starts.")})

    @property
    def agenda_heading_list(self) -> list[str]:
        return [line.strip() for line in self.agenda_headings.splitlines() if line.strip()]

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL

    def deletion_error(self):
        if self.versions.exists():
            return _("A report with rendered versions is kept: it cannot be deleted.")
        return None


# A section's narrative may be written in each working language: the field of each.
NARRATIVE_FIELDS = {"en": "narrative", "fr": "narrative_fr", "es": "narrative_es"}


class ReportSection(BaseModel):
    """One block of a report: its kind (and Party, for a Party section), its place in the order,
    its narrative and its data text.

    The **narrative** is the case manager's prose. A new report's section starts with the
    narrative of the same section (same kind; for a Party section, same Party) in the previous
    report, the latest one with an earlier meeting (``carried_from``), marked as carried
    (``is_carried``) until the case manager edits it. The **data text** (``body``) is composed
    from the data; once the case manager edits it (``is_edited``) recomposing leaves it alone.
    The document shows the narrative, then the data text. Paragraphs are separated by blank lines
    and are numbered continuously through the document; lines starting with "- " are a lettered
    list."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="sections", verbose_name=_("report")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SectionKind.choices)
    party = models.ForeignKey(
        "parties.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_sections",
        verbose_name=_("Party"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(
        _("heading"),
        max_length=200,
        blank=True,
        help_text=_("Left empty, the standard heading of the section."),
    )
    narrative = models.TextField(
        _("narrative (English)"),
        blank=True,
        help_text=_("The Secretariat's account, shown before the text composed from the data."),
    )
    narrative_fr = models.TextField(_("narrative (French)"), blank=True)
    narrative_es = models.TextField(_("narrative (Spanish)"), blank=True)
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="carried_to",
        verbose_name=_("carried from"),
        help_text=_("The same section in the previous report, whose narrative this one started from."),
    )
    is_carried = models.BooleanField(
        _("narrative carried forward"),
        default=False,
        editable=False,
        help_text=_("The narrative is the previous report's, not yet edited for this one."),
    )
    body = models.TextField(_("text"), blank=True)
    is_edited = models.BooleanField(_("edited"), default=False, editable=False)

    access_policy = AccessPolicy(
        party_path=None,
        view=SECRETARIAT_ROLES,
        change=CASE_MANAGER_ROLES,
        public_q=Q(report__status=ReportStatus.FINAL),
    )

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"], condition=Q(party__isnull=True), name="report_section_kind_unique"
            ),
            models.UniqueConstraint(fields=["report", "party"], name="report_section_party_unique"),
        ]

    def __str__(self):
        if self.party_id:
            return str(self.party)
        return self.title or str(self.get_kind_display())

    def get_absolute_url(self):
        return reverse("reports:section_edit", kwargs={"pk": self.report_id, "section": self.pk})

    def narrative_in(self, language: str) -> tuple[str, str | None]:
        """The narrative for a document in ``language`` and, when it is not written in that
        language yet, the language it falls back to (English first, then French, Spanish)."""
        wanted = NARRATIVE_FIELDS.get(language, "narrative")
        text = getattr(self, wanted).strip()
        if text or not any(getattr(self, field).strip() for field in NARRATIVE_FIELDS.values()):
            return text, None
        for fallback, field in NARRATIVE_FIELDS.items():
            if getattr(self, field).strip():
                return getattr(self, field).strip(), fallback
        return "", None  # unreachable: one of them holds text

    @property
    def narratives(self) -> dict[str, str]:
        """The narrative in each language, by field name."""
        return {field: getattr(self, field) for field in NARRATIVE_FIELDS.values()}

    @property
    def carried_mark(self) -> str:
        """ "Carried from SC77 Doc. 14" while the narrative is the previous report's, else ""."""
        if not (self.is_carried and self.carried_from_id):
            return ""
        return str(_("Carried from %(symbol)s") % {"symbol": self.carried_from.report.symbol})


class ReportRender(BaseModel):
    """A render job: the worker composes the snapshot (or reuses a version's), renders HTML, then
    PDF with WeasyPrint and DOCX, and records a :class:`ReportVersion`. ``state``, ``percent`` and
    ``message`` are what the progress bar shows."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="renders", verbose_name=_("report")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RenderState.choices, default=RenderState.QUEUED
    )
    percent = models.PositiveSmallIntegerField(_("percent"), default=0)
    message = models.TextField(_("message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    source_version = models.ForeignKey(
        "ReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rerenders",
        verbose_name=_("re-render of"),
        help_text=_("Render this version's stored snapshot again instead of composing from the data."),
    )
    retry_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retries",
        verbose_name=_("retry of"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last heartbeat"),
        null=True,
        blank=True,
        help_text=_("Refreshed by the worker while the job runs; a stale one means the worker died."),
    )

    access_policy = AccessPolicy(party_path=None, view=SECRETARIAT_ROLES, add=CASE_MANAGER_ROLES)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("render job")
        verbose_name_plural = _("render jobs")

    def __str__(self):
        return _("Render %(id)s of %(report)s") % {"id": self.pk, "report": self.report}

    @property
    def is_finished(self) -> bool:
        return self.state in (RenderState.DONE, RenderState.FAILED)


def version_upload_to(instance, filename: str) -> str:
    """Under MEDIA_ROOT with a random name: never served directly, only through a checked view."""
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}.{extension}"


class ReportVersion(BaseModel):
    """A rendered version of a report, kept for good: the PDF (with its SHA-256 and page count),
    the DOCX, who rendered it and when, the as-of date, and the snapshot of the composed content
    (sections, figures, annex tables) it was rendered from."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="versions", verbose_name=_("report")
    )
    number = models.PositiveIntegerField(_("version"))
    render = models.OneToOneField(
        ReportRender, on_delete=models.PROTECT, related_name="version", verbose_name=_("render job")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    rendered_at = models.DateTimeField(_("rendered at"))
    as_of = models.DateField(_("figures as of"))
    language = models.CharField(_("language"), max_length=2, choices=WorkingLanguage.choices)
    pdf = models.FileField(_("PDF"), upload_to=version_upload_to, max_length=255)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    page_count = models.PositiveIntegerField(_("pages"))
    docx = models.FileField(_("DOCX"), upload_to=version_upload_to, max_length=255, blank=True)
    snapshot = models.JSONField(_("snapshot of the composed content"))

    access_policy = AccessPolicy(
        party_path=None, view=SECRETARIAT_ROLES, public_q=Q(report__status=ReportStatus.FINAL)
    )

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self):
        return _("%(report)s, version %(number)s") % {"report": self.report, "number": self.number}

    def get_absolute_url(self):
        return reverse("reports:version_preview", kwargs={"pk": self.pk})

    def get_pdf_url(self):
        return reverse("reports:version_pdf", kwargs={"pk": self.pk})

    def get_docx_url(self):
        return reverse("reports:version_docx", kwargs={"pk": self.pk})
