"""The activity feed of a CAP case: comments, workflow steps of its workplans, stage transitions
and uploaded deliverables, newest first, restricted to what the user may see. Four queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from cap_portal.access import Action
from cases.models import CapCaseTransition
from workplans.models import Deliverable, WorkplanStep

from .models import Comment


@dataclass(frozen=True)
class FeedEntry:
    """One line of the feed: when, what kind, who, what, and a link."""

    when: datetime.datetime
    kind: str
    who: object
    text: str
    url: str
    comment: Comment | None = None


def _name(user):
    return (user.get_full_name() or user.username) if user else _("the system")


def case_feed(cap_case, user, limit: int = 50) -> list[FeedEntry]:
    """The feed of ``cap_case`` for ``user``, newest first (at most ``limit`` entries)."""
    entries: list[FeedEntry] = []
    comments = Comment.objects.restrict(user, Action.VIEW).filter(cap_case=cap_case)
    for c in comments.select_related("author", "content_type").order_by("-created")[:limit]:
        entries.append(FeedEntry(c.created, "comment", _name(c.author), c.body, c.get_absolute_url(), c))
    steps = WorkplanStep.objects.restrict(user, Action.VIEW).filter(workplan__cap_case=cap_case)
    for s in steps.select_related("actor", "workplan").order_by("-taken_at")[:limit]:
        text = _("%(action)s: version %(version)s is now %(status)s.") % {
            "action": s.get_action_display(),
            "version": s.workplan.version,
            "status": s.get_to_status_display(),
        }
        if s.comment:
            text = f"{text} «{s.comment}»"
        entries.append(FeedEntry(s.taken_at, "step", _name(s.actor), text, s.workplan.get_absolute_url()))
    transitions = CapCaseTransition.objects.restrict(user, Action.VIEW).filter(cap_case=cap_case)
    for t in transitions.select_related("taken_by").order_by("-taken_at")[:limit]:
        text = _("Stage changed from %(from)s to %(to)s.") % {
            "from": t.get_from_stage_display(),
            "to": t.get_to_stage_display(),
        }
        entries.append(
            FeedEntry(t.taken_at, "transition", _name(t.taken_by), text, cap_case.get_absolute_url())
        )
    uploads = Deliverable.objects.restrict(user, Action.VIEW).filter(cap_case=cap_case).exclude(file="")
    for d in uploads.order_by("-created")[:limit]:
        text = _("Deliverable uploaded: %(title)s (%(file)s).") % {"title": d.title, "file": d.original_name}
        entries.append(FeedEntry(d.created, "upload", "", text, d.get_absolute_url()))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]
