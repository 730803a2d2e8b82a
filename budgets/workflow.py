"""The funding records' hand-overs, declared as data beside the other apps' workflows. Funding
has no workflow table (an installment's dates are recorded, not moved through states); recording
an installment as transferred or received is told to the Party's MA focal points and the case's
case manager by :func:`budgets.services.installment_handovers`, which calls the one
:func:`portfolio.notify.notify`."""

from __future__ import annotations

from cap_portal.workflow import Notify
from portfolio import audiences
from portfolio.choices import NotificationKind as N

INSTALLMENT_TRANSFERRED = Notify(N.INSTALLMENT_TRANSFERRED, audiences.planners_and_case_manager)
INSTALLMENT_RECEIVED = Notify(N.INSTALLMENT_RECEIVED, audiences.planners_and_case_manager)
HANDOVERS = (INSTALLMENT_TRANSFERRED, INSTALLMENT_RECEIVED)
