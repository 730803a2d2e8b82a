from django.db import models
from django.utils.translation import gettext_lazy as _

# Activities are grouped by the same areas of concern as the recommendations they address
# (CoP18 Doc. 28 para. 36 a): one list, kept by the cases app.
from cases.choices import AreaOfConcern  # noqa: F401


class WorkplanStatus(models.TextChoices):
    """The states of a workplan version (the workflow lives in ``workplans.workflow``)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class WorkplanAction(models.TextChoices):
    """The steps a workplan goes through; ``supersede`` is taken by the system on approval."""

    SUBMIT = "submit", _("Submit")
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for changes")
    REVISE = "revise", _("Revise")
    SUPERSEDE = "supersede", _("Superseded by a new version")


class Priority(models.TextChoices):
    """CoP18 Doc. 28 para. 36 b): what is to be implemented first."""

    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ResponsibleEntity(models.TextChoices):
    MANAGEMENT_AUTHORITY = "ma", _("Management Authority")
    SCIENTIFIC_AUTHORITY = "sa", _("Scientific Authority")
    ENFORCEMENT = "enforcement", _("Enforcement")
    CONSULTANT = "consultant", _("Consultant")
    SECRETARIAT = "secretariat", _("CITES Secretariat")
    PARTNER = "partner", _("Partner organization")


# Activities whose progress the SA / enforcement focal point reports.
SA_REPORTED_ENTITIES = frozenset({ResponsibleEntity.SCIENTIFIC_AUTHORITY, ResponsibleEntity.ENFORCEMENT})


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


# Activities no longer under way: not due an update, not late, not open work (a small share of a
# mature portfolio's activities are not among them; an index keeps those apart, ``Activity.Meta``).
FINISHED_ACTIVITY_STATUSES = (ActivityStatus.COMPLETED, ActivityStatus.CANCELLED)


class ReviewStatus(models.TextChoices):
    """The Secretariat's review of what a Party reports (progress updates, deliverables)."""

    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class EventKind(models.TextChoices):
    TECHNICAL_MISSION = "technical_mission", _("Technical mission")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    COORDINATION_MEETING = "coordination_meeting", _("Coordination meeting")


class DeliverableKind(models.TextChoices):
    GUIDELINES = "guidelines", _("Guidelines")
    NDF = "ndf", _("Non-detriment finding (NDF)")
    LAF = "laf", _("Legal acquisition finding (LAF)")
    DATABASE = "database", _("Database")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class ChangeReason(models.TextChoices):
    """Why a plan is revised or a corrective action taken (SC78 Doc. 23 paras. 10, 43–49)."""

    DELAYS = "delays", _("Implementation delays")
    DISBURSEMENT = "disbursement", _("Disbursement problems")
    INSTITUTIONAL_CHANGE = "institutional_change", _("Institutional change")
    OTHER = "other", _("Other")


class ReviewDecision(models.TextChoices):
    """What the case manager decides on a deliverable."""

    ACCEPT = "accept", _("Accept")
    RETURN = "return", _("Return")
