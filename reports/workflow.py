"""The SC report's workflow, declared as data: a draft is finalised (published to every
signed-in user) by a case manager once it has a rendered version. Taken through the one engine,
:func:`cap_portal.workflow.transition_take`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cap_portal.access import CASE_MANAGER_ROLES
from cap_portal.workflow import Notify, Transition, Workflow, guard
from portfolio import audiences
from portfolio.choices import NotificationKind as N

from .choices import ReportStatus


@guard(field="status")
def has_rendered_version(report, **_context) -> tuple[bool, str]:
    """A report is published as one of its rendered versions: it needs one."""
    if report.versions.exists():
        return True, ""
    return False, str(_("Render the report at least once before finalising it."))


FINALISE = "finalise"

WORKFLOW = Workflow(
    model="reports.Report",
    field="status",
    transitions=(
        Transition(
            action=FINALISE,
            sources=frozenset({ReportStatus.DRAFT}),
            target=ReportStatus.FINAL,
            roles=CASE_MANAGER_ROLES,
            label=_("Finalise"),
            guards=(has_rendered_version,),
            notify=Notify(N.REPORT_FINALISED, audiences.report_readers),
        ),
    ),
    state_field="status",
    role_message=_("Only a case manager may do this."),
    state_message=_("The report is final already."),
)
