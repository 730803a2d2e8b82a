"""People's hand-overs, declared as data beside the other apps' workflows: a role granted or
ended is told to the person (``accounts.services.role_grant`` / ``role_end`` call the one
:func:`portfolio.notify.notify`)."""

from __future__ import annotations

from cap_portal.workflow import Notify
from portfolio import audiences
from portfolio.choices import NotificationKind as N

ROLE_GRANTED = Notify(N.ROLE_GRANTED, audiences.role_holder)
ROLE_ENDED = Notify(N.ROLE_ENDED, audiences.role_holder)
HANDOVERS = (ROLE_GRANTED, ROLE_ENDED)
