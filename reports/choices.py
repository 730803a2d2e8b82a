from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    """A report is a draft until a case manager finalises (publishes) it."""

    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class SectionKind(models.TextChoices):
    """The sections of a Standing Committee progress report, in the order of the SC78 document."""

    INTRODUCTION = "introduction", _("Introduction")
    DECISIONS = "decisions", _("Decisions in force")
    BACKGROUND = "background", _("Background")
    IMPLEMENTATION = "implementation", _("In-country compliance assistance")
    PARTY = "party", _("Party section")
    FINDINGS = "findings", _("Overall findings")
    FINDING_SELECTION = "finding_selection", _("Selection of beneficiary Parties")
    FINDING_IMPACT = "finding_impact", _("Impact")
    FINDING_OWNERSHIP = "finding_ownership", _("Ownership by the beneficiary Parties")
    FINDING_SUSTAINABILITY = "finding_sustainability", _("Sustainability")
    FINDING_ADAPTABILITY = "finding_adaptability", _("Adaptability and scaling up")
    FINDING_TIMEFRAMES = "finding_timeframes", _("Timeframes")
    FINDING_EXPECTATIONS = "finding_expectations", _("Managing expectations")
    FINDING_FINANCE = "finding_finance", _("Financial mechanisms and disbursement")
    FINDING_ABSORPTION = "finding_absorption", _("Budget absorption potential")
    FINDING_GENDER = "finding_gender", _("Gender considerations")
    FINDING_MANAGEMENT = "finding_management", _("CAP management, monitoring and evaluation")
    COOPERATION = "cooperation", _("Cooperation with partners")
    CONCLUSIONS = "conclusions", _("Conclusions")
    RECOMMENDATIONS = "recommendations", _("Recommendations")
    DRAFT_DECISIONS = "draft_decisions", _("Draft decisions")


class RenderState(models.TextChoices):
    """Where a render job stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
