"""Choices of the portfolio app: the kinds of notification, the groups that head a person's
notification settings (a delivery is chosen per kind), and how a notification reaches them. A
module of its own (no model imports) so that the workflow tables of every app may name the kinds
they notify."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    # Reminders before and after due dates (portfolio.reminders).
    PROGRESS_DUE = "progress_due", _("Progress update due")
    PROGRESS_OVERDUE = "progress_overdue", _("Progress update overdue")
    MILESTONE_DUE = "milestone_due", _("Milestone due")
    MILESTONE_OVERDUE = "milestone_overdue", _("Milestone overdue")
    AGREEMENT_ENDING = "agreement_ending", _("Agreement ending")
    AGREEMENT_ENDED = "agreement_ended", _("Agreement ended")
    # The outcome of a scheduled backup (cap_portal.backup).
    BACKUP_DONE = "backup_done", _("Backup written")
    BACKUP_FAILED = "backup_failed", _("Backup failed")
    # Hand-overs: a workflow step or a recorded event, told to who acts next (portfolio.notify).
    WORKPLAN_SUBMITTED = "workplan_submitted", _("Workplan submitted")
    WORKPLAN_RETURNED = "workplan_returned", _("Workplan returned")
    WORKPLAN_APPROVED = "workplan_approved", _("Workplan approved")
    WORKPLAN_REVISED = "workplan_revised", _("Workplan revision started")
    PROGRESS_SUBMITTED = "progress_submitted", _("Progress update submitted")
    PROGRESS_ACCEPTED = "progress_accepted", _("Progress update accepted")
    PROGRESS_RETURNED = "progress_returned", _("Progress update returned")
    DELIVERABLE_SUBMITTED = "deliverable_submitted", _("Deliverable submitted")
    DELIVERABLE_ACCEPTED = "deliverable_accepted", _("Deliverable accepted")
    DELIVERABLE_RETURNED = "deliverable_returned", _("Deliverable returned")
    RESULT_ACCEPTED = "result_accepted", _("Result accepted")
    RESULT_RETURNED = "result_returned", _("Result returned")
    CASE_STAGE_CHANGED = "case_stage_changed", _("CAP case stage changed")
    REPORT_FINALISED = "report_finalised", _("SC report finalised")
    INSTALLMENT_TRANSFERRED = "installment_transferred", _("Installment transferred")
    INSTALLMENT_RECEIVED = "installment_received", _("Installment received")
    ROLE_GRANTED = "role_granted", _("Role granted")
    ROLE_ENDED = "role_ended", _("Role ended")


class NotificationGroup(models.TextChoices):
    """The headings of a person's notification settings: each groups kinds, each kind with its
    own delivery."""

    WORKPLANS = "workplans", _("Workplans: submitted, returned, approved, revised")
    REVIEWS = "reviews", _("Progress updates, deliverables and results: submitted and reviewed")
    CASES = "cases", _("CAP case stages")
    FUNDING = "funding", _("Installments transferred and received")
    REPORTS = "reports", _("SC reports finalised")
    ROLES = "roles", _("Your roles")
    REMINDERS = "reminders", _("Due-date reminders")


K = NotificationKind
# Every kind a person chooses a delivery for (at once or the daily digest), under its heading: the
# hand-overs and the due-date reminders. Not the backups' outcome: it is written to the case
# managers by cap_portal.backup, logged only when done and e-mailed at once when failed.
KIND_GROUPS: dict[str, str] = {
    K.WORKPLAN_SUBMITTED: NotificationGroup.WORKPLANS,
    K.WORKPLAN_RETURNED: NotificationGroup.WORKPLANS,
    K.WORKPLAN_APPROVED: NotificationGroup.WORKPLANS,
    K.WORKPLAN_REVISED: NotificationGroup.WORKPLANS,
    K.PROGRESS_SUBMITTED: NotificationGroup.REVIEWS,
    K.PROGRESS_ACCEPTED: NotificationGroup.REVIEWS,
    K.PROGRESS_RETURNED: NotificationGroup.REVIEWS,
    K.DELIVERABLE_SUBMITTED: NotificationGroup.REVIEWS,
    K.DELIVERABLE_ACCEPTED: NotificationGroup.REVIEWS,
    K.DELIVERABLE_RETURNED: NotificationGroup.REVIEWS,
    K.RESULT_ACCEPTED: NotificationGroup.REVIEWS,
    K.RESULT_RETURNED: NotificationGroup.REVIEWS,
    K.CASE_STAGE_CHANGED: NotificationGroup.CASES,
    K.REPORT_FINALISED: NotificationGroup.REPORTS,
    K.INSTALLMENT_TRANSFERRED: NotificationGroup.FUNDING,
    K.INSTALLMENT_RECEIVED: NotificationGroup.FUNDING,
    K.ROLE_GRANTED: NotificationGroup.ROLES,
    K.ROLE_ENDED: NotificationGroup.ROLES,
    K.PROGRESS_DUE: NotificationGroup.REMINDERS,
    K.PROGRESS_OVERDUE: NotificationGroup.REMINDERS,
    K.MILESTONE_DUE: NotificationGroup.REMINDERS,
    K.MILESTONE_OVERDUE: NotificationGroup.REMINDERS,
    K.AGREEMENT_ENDING: NotificationGroup.REMINDERS,
    K.AGREEMENT_ENDED: NotificationGroup.REMINDERS,
}


def kinds_of(group: str) -> list[str]:
    """The kinds under ``group``'s heading, in the order of the settings."""
    return [kind for kind, of in KIND_GROUPS.items() if of == group]


class Delivery(models.TextChoices):
    """How a notification reaches its recipient besides the portal's inbox."""

    IMMEDIATE = "immediate", _("E-mail at once")
    DIGEST = "digest", _("One e-mail a day (digest)")
    PORTAL = "portal", _("In the portal only")
