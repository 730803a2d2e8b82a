from django.db import models
from django.utils.translation import gettext_lazy as _


class CapStage(models.TextChoices):
    """Where a Party stands in the Compliance Assistance Programme (CoP18 Doc. paras. 26–51)."""

    CANDIDATE = "candidate", _("Candidate")
    LONG_LIST = "long_list", _("Long list")
    SHORT_LIST = "short_list", _("Short list")
    SELECTED = "selected", _("Selected")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")
    NOT_SELECTED = "not_selected", _("Not selected")


# The stages at which a Party is still being considered for selection (prong 1).
SELECTION_STAGES = (CapStage.CANDIDATE, CapStage.LONG_LIST, CapStage.SHORT_LIST)
# The stages at which a Party is a beneficiary of the programme.
BENEFICIARY_STAGES = (CapStage.SELECTED, CapStage.IN_IMPLEMENTATION, CapStage.CLOSING)


class MeetingBody(models.TextChoices):
    """The CITES bodies whose meetings adopt recommendations and assess progress."""

    SC = "SC", _("Standing Committee")
    AC = "AC", _("Animals Committee")
    PC = "PC", _("Plants Committee")
    COP = "CoP", _("Conference of the Parties")


class MechanismKind(models.TextChoices):
    """CoP18 Doc. para. 8 c) (mechanisms) and d) (processes)."""

    MECHANISM = "mechanism", _("Compliance mechanism")
    PROCESS = "process", _("Compliance process")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AreaOfConcern(models.TextChoices):
    """How an action plan groups recommendations (CoP18 Doc. para. 36 a)."""

    INSTITUTIONAL = "institutional", _("Institutional")
    LEGISLATIVE = "legislative", _("Legislative")
    SCIENTIFIC = "scientific", _("Scientific")
    ENFORCEMENT = "enforcement", _("Enforcement")
    INFORMATION_SYSTEMS = "information_systems", _("Information systems")
    OUTREACH = "outreach", _("Outreach")
    REPORTING = "reporting", _("Reporting")


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A recommendation in one of these states still asks something of the Party.
PENDING_RECOMMENDATION_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)


class MeasureKind(models.TextChoices):
    """Compliance measures, from the mildest to the strongest (Res. Conf. 14.3, Annex paras. 29–30)."""

    WRITTEN_CAUTION = "written_caution", _("Written caution")
    WARNING = "warning", _("Warning")
    COMPLIANCE_ACTION_PLAN = "compliance_action_plan", _("Request for a compliance action plan")
    EXPORT_QUOTA = "export_quota", _("Export quota")
    SUSPEND_COMMERCIAL_TRADE = "suspend_commercial_trade", _("Recommendation to suspend commercial trade")
    SUSPEND_ALL_TRADE = "suspend_all_trade", _("Recommendation to suspend all trade")


class ProgressRatingScale(models.TextChoices):
    """The NIAP progress rating scale used by the Standing Committee."""

    ACHIEVED = "achieved", _("Achieved")
    SUBSTANTIALLY_ACHIEVED = "substantially_achieved", _("Substantially achieved")
    PARTIALLY_ACHIEVED = "partially_achieved", _("Partially achieved")
    CHALLENGING = "challenging", _("Challenging")
    UNCLEAR = "unclear", _("Unclear")


class Level(models.TextChoices):
    """An assessor's judgement on a three-step scale (export significance, potential for impact)."""

    NONE = "none", _("None")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class SelectionDecision(models.TextChoices):
    """What a case manager decides for a candidate; each is the CAP stage the case moves to."""

    LONG_LIST = CapStage.LONG_LIST.value, _("Put on the long list")
    SHORT_LIST = CapStage.SHORT_LIST.value, _("Put on the short list")
    SELECTED = CapStage.SELECTED.value, _("Select")
    NOT_SELECTED = CapStage.NOT_SELECTED.value, _("Do not select")


class StakeholderKind(models.TextChoices):
    GOVERNMENT = "government", _("Government agency")
    UN_AGENCY = "un_agency", _("United Nations agency")
    INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organization")
    DEVELOPMENT_PARTNER = "development_partner", _("Development partner or donor")
    NGO = "ngo", _("Non-governmental organization")
    ACADEMIA = "academia", _("Academia")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
