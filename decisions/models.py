"""The decisions register: Decisions of the Conference of the Parties (and of the Standing
Committee) as data, and the draft decisions a Standing Committee report proposes in its annex.

A report quotes the decisions of its agenda item in force on its as-of date, grouped by "Directed
to" (SC78 Doc. 23, para. 2), proposes for deletion those implemented (recommendation e)) and
carries its own draft decisions, numbered 20.AA, 20.BB… (its annex).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES, SECRETARIAT_ROLES, AccessPolicy, RestrictedQuerySet
from cap_portal.models import BaseModel
from reports.choices import ReportStatus

from .choices import CAP_AGENDA_ITEM, DIRECTED_TO_ORDER, DecisionStatus, DirectedTo

# Reference data: every signed-in user reads the adopted decisions; case managers keep the
# register. A draft decision follows its report: the Secretariat reads it while the report is a
# draft, everyone once the report is final.
DECISION_POLICY = AccessPolicy(
    party_path=None,
    view=SECRETARIAT_ROLES,
    add=CASE_MANAGER_ROLES,
    change=CASE_MANAGER_ROLES,
    delete=CASE_MANAGER_ROLES,
    public_q=Q(report__isnull=True) | Q(report__status=ReportStatus.FINAL),
)

# "a) " or "- " typed before an item: the label is given by the item's place, not typed.
_ITEM_PREFIX = re.compile(r"^\s*(?:[-*•]|\(?[a-z]\))\s+")


def final_report_error() -> ValidationError:
    """A final report's draft decisions are kept as published."""
    return ValidationError(
        _("The report is final: its draft decisions can no longer be changed."), code="not_editable"
    )


class DecisionQuerySet(RestrictedQuerySet):
    def for_table(self):
        return self.select_related("meeting", "report")

    def adopted(self):
        return self.exclude(status=DecisionStatus.DRAFT)

    def drafts(self):
        return self.filter(status=DecisionStatus.DRAFT)


class Decision(BaseModel):
    """A decision: its number ("19.44"; a draft's placeholder "20.AA"), the meeting that adopted it
    (none for a draft), to whom it is directed, its lead-in text and its lettered items a), b)…
    (one per line), its status, the agenda item it belongs to, and for a draft the report whose
    annex proposes it."""

    number = models.CharField(
        _("number"),
        max_length=20,
        blank=True,
        help_text=_('E.g. "19.44". A draft decision is numbered 20.AA, 20.BB… in the order of its report.'),
    )
    meeting = models.ForeignKey(
        "cases.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("adopted at"),
    )
    directed_to = models.CharField(_("directed to"), max_length=40, choices=DirectedTo.choices)
    text = models.TextField(
        _("text"),
        help_text=_('The lead-in, e.g. "The Secretariat shall, subject to the availability of …:".'),
    )
    items = models.TextField(
        _("lettered items"),
        blank=True,
        help_text=_("One item per line; they are lettered a), b), c)… in this order."),
    )
    status = models.CharField(
        _("status"), max_length=30, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE
    )
    agenda_item = models.CharField(_("agenda item"), max_length=200, default=CAP_AGENDA_ITEM)
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft_decisions",
        verbose_name=_("proposed in report"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    access_policy = DECISION_POLICY
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["agenda_item", "order", "number", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                condition=Q(meeting__isnull=False),
                name="decision_number_unique_per_meeting",
            )
        ]

    def __str__(self):
        if self.is_draft:
            return _("Draft decision %(number)s") % {"number": self.number or "…"}
        return _("Decision %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        if self.is_draft and self.report_id:
            return (
                reverse("decisions:report_drafts", kwargs={"parent": self.report_id}) + f"#decision-{self.pk}"
            )
        return reverse("decisions:decision_list") + f"#decision-{self.pk}"

    def clean(self):
        # Each error has its code (declared in the API schema by decisions.api.views).
        errors = {}
        if self.is_draft:
            if self.meeting_id:
                errors["meeting"] = ValidationError(
                    _("A draft decision has not been adopted at a meeting yet."), code="not_allowed"
                )
            if not self.report_id:
                errors["report"] = ValidationError(
                    _("A draft decision belongs to the report that proposes it."), code="required"
                )
            elif self.report.status == ReportStatus.FINAL:
                errors["report"] = final_report_error()
        else:
            if not self.meeting_id:
                errors["meeting"] = ValidationError(
                    _("An adopted decision names the meeting that adopted it."), code="required"
                )
            if self.report_id:
                errors["report"] = ValidationError(
                    _("Only a draft decision belongs to a report."), code="not_allowed"
                )
            if not self.number.strip():
                errors["number"] = ValidationError(
                    _("An adopted decision has a number, e.g. 19.44."), code="required"
                )
            elif (
                self.meeting_id
                and Decision.objects.filter(meeting_id=self.meeting_id, number=self.number.strip())
                .exclude(pk=self.pk)
                .exists()
            ):
                errors["number"] = ValidationError(
                    _("This meeting already has a decision with this number."), code="unique"
                )
        if errors:
            raise ValidationError(errors)
        self.number = self.number.strip()

    @property
    def is_draft(self) -> bool:
        return self.status == DecisionStatus.DRAFT

    @property
    def item_list(self) -> list[str]:
        """The lettered items, in order, without any label typed before them."""
        return [_ITEM_PREFIX.sub("", line).strip() for line in self.items.splitlines() if line.strip()]

    @property
    def lettered_items(self) -> list[tuple[str, str]]:
        """(label, text) pairs: ("a)", "…"), ("b)", "…")."""
        return [(f"{chr(ord('a') + index % 26)})", text) for index, text in enumerate(self.item_list)]

    @property
    def group_order(self) -> int:
        return DIRECTED_TO_ORDER.get(self.directed_to, len(DIRECTED_TO_ORDER))
