"""What needs attention in the portfolio (issue 7): each item names the thing to fix and links to
it. Everything is restricted to what the user may see; one query per kind of item, whatever the
size of the portfolio.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import Installment, LegalInstrument
from cap_portal.access import Action
from cases.models import Recommendation
from workplans.choices import ActivityStatus, ReviewStatus, WorkplanStatus
from workplans.models import Activity, Deliverable, Milestone, ProgressUpdate, Workplan
from workplans.selectors import UPDATE_INTERVAL

AGREEMENT_ENDING_DAYS = 90


class Kind:
    """The kinds of attention items, in the order the page shows them."""

    PROGRESS_OVERDUE = "progress_overdue"
    WORKPLAN_SUBMITTED = "workplan_submitted"
    PROGRESS_SUBMITTED = "progress_submitted"
    DELIVERABLE_SUBMITTED = "deliverable_submitted"
    MILESTONE_OVERDUE = "milestone_overdue"
    AGREEMENT_ENDING = "agreement_ending"
    INSTALLMENT_LATE = "installment_late"
    RECOMMENDATION_UNADDRESSED = "recommendation_unaddressed"


KIND_LABELS = {
    Kind.PROGRESS_OVERDUE: _("Progress updates overdue"),
    Kind.WORKPLAN_SUBMITTED: _("Workplans waiting for review"),
    Kind.PROGRESS_SUBMITTED: _("Progress updates waiting for review"),
    Kind.DELIVERABLE_SUBMITTED: _("Deliverables waiting for review"),
    Kind.MILESTONE_OVERDUE: _("Milestones overdue"),
    Kind.AGREEMENT_ENDING: _("Agreements ending within 90 days"),
    Kind.INSTALLMENT_LATE: _("Installments late"),
    Kind.RECOMMENDATION_UNADDRESSED: _("Recommendations past their deadline that no activity addresses"),
}


@dataclass(frozen=True)
class AttentionItem:
    """One thing to fix: its kind, the Party, what it is, the date that makes it urgent and the
    page where it is fixed."""

    kind: str
    party: object
    title: str
    detail: str
    date: datetime.date | None
    url: str

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


@dataclass
class AttentionGroup:
    kind: str
    label: str
    items: list


def activities_due_an_update(queryset, today: datetime.date):
    """Activities of approved plans, under way and not finished, with no progress reported (other
    than returned) for ``UPDATE_INTERVAL``: annotated with ``last_reported``."""
    recent = ProgressUpdate.objects.filter(period_end__gte=today - UPDATE_INTERVAL).exclude(
        review_status=ReviewStatus.RETURNED
    )
    return (
        queryset.filter(workplan__status=WorkplanStatus.APPROVED)
        .exclude(status__in=[ActivityStatus.COMPLETED, ActivityStatus.CANCELLED])
        .exclude(planned_start__gt=today)
        .exclude(pk__in=recent.values("activity"))
        .annotate(last_reported=Max("progress_updates__period_end"))
    )


def update_due_date(activity) -> datetime.date:
    """When the activity's next progress update is (or was) due."""
    return (activity.last_reported or activity.planned_start) + UPDATE_INTERVAL


def needs_attention(user, today: datetime.date | None = None, party_ids=None) -> list[AttentionItem]:
    """Every item needing attention that the user may see (of ``party_ids`` when given), by kind
    and then by date."""
    today = today or timezone.localdate()

    def scoped(model, path):
        queryset = model.objects.restrict(user, Action.VIEW)
        return queryset if party_ids is None else queryset.filter(**{f"{path}__in": list(party_ids)})

    items: list[AttentionItem] = []
    activities = activities_due_an_update(scoped(Activity, "workplan__cap_case__party"), today)
    for a in activities.select_related("workplan__cap_case__party").order_by("planned_start", "pk"):
        due = update_due_date(a)
        items.append(
            AttentionItem(
                Kind.PROGRESS_OVERDUE,
                a.workplan.cap_case.party,
                str(a),
                _("No progress reported since %(date)s.") % {"date": a.last_reported or a.planned_start},
                due,
                reverse("workplans:progress_add", kwargs={"parent": a.pk}),
            )
        )
    for w in scoped(Workplan, "cap_case__party").awaiting_review().for_table().order_by("updated"):
        items.append(
            AttentionItem(
                Kind.WORKPLAN_SUBMITTED,
                w.cap_case.party,
                str(w),
                _("Submitted for approval."),
                w.updated.date(),
                w.get_absolute_url(),
            )
        )
    updates = scoped(ProgressUpdate, "activity__workplan__cap_case__party").awaiting_review().for_table()
    for u in updates.order_by("created"):
        items.append(
            AttentionItem(
                Kind.PROGRESS_SUBMITTED,
                u.activity.workplan.cap_case.party,
                str(u),
                _("Reported by %(user)s.") % {"user": u.submitted_by or "—"},
                u.created.date(),
                reverse("workplans:progress_review", kwargs={"pk": u.pk}),
            )
        )
    deliverables = scoped(Deliverable, "cap_case__party").awaiting_review().exclude(file="").for_table()
    for d in deliverables.order_by("created"):
        items.append(
            AttentionItem(
                Kind.DELIVERABLE_SUBMITTED,
                d.cap_case.party,
                str(d),
                d.get_kind_display(),
                d.delivered_on,
                reverse("workplans:deliverable_review", kwargs={"pk": d.pk}),
            )
        )
    milestones = (
        scoped(Milestone, "workplan__cap_case__party")
        .overdue(today)
        .filter(workplan__status=WorkplanStatus.APPROVED)
        .for_table()
    )
    for m in milestones.order_by("due_on", "pk"):
        items.append(
            AttentionItem(
                Kind.MILESTONE_OVERDUE,
                m.workplan.cap_case.party,
                str(m),
                _("Due on %(date)s, not met.") % {"date": m.due_on},
                m.due_on,
                reverse("workplans:milestone_edit", kwargs={"pk": m.pk}),
            )
        )
    horizon = today + datetime.timedelta(days=AGREEMENT_ENDING_DAYS)
    agreements = (
        scoped(LegalInstrument, "cap_case__party")
        .with_current_end()
        .filter(current_end__gte=today, current_end__lte=horizon)
        .select_related("cap_case__party")
    )
    for i in agreements.order_by("current_end", "pk"):
        items.append(
            AttentionItem(
                Kind.AGREEMENT_ENDING,
                i.cap_case.party,
                str(i),
                _("Ends on %(date)s: extend it or prepare the closure.") % {"date": i.current_end},
                i.current_end,
                i.get_absolute_url(),
            )
        )
    installments = scoped(Installment, "instrument__cap_case__party").overdue(today).for_table()
    for n in installments.order_by("planned_on", "pk"):
        items.append(
            AttentionItem(
                Kind.INSTALLMENT_LATE,
                n.instrument.cap_case.party,
                str(n),
                _("Planned for %(date)s, not received.") % {"date": n.planned_on},
                n.planned_on,
                n.get_absolute_url(),
            )
        )
    # Addressed: linked to an activity of a version in force (not superseded).
    addressed = (
        Activity.objects.exclude(workplan__status=WorkplanStatus.SUPERSEDED)
        .filter(recommendations__isnull=False)
        .values("recommendations")
    )
    recommendations = (
        scoped(Recommendation, "party")
        .overdue(today)
        .exclude(pk__in=addressed)
        .select_related("party", "adopted_at")
        .order_by("deadline", "pk")
    )
    for r in recommendations:
        items.append(
            AttentionItem(
                Kind.RECOMMENDATION_UNADDRESSED,
                r.party,
                str(r),
                _("Deadline %(date)s passed; no activity of a workplan addresses it.") % {"date": r.deadline},
                r.deadline,
                r.get_absolute_url(),
            )
        )
    return items


def attention_groups(items: list[AttentionItem]) -> list[AttentionGroup]:
    """The items grouped by kind, in the order of ``KIND_LABELS`` (empty kinds left out)."""
    groups = []
    for kind, label in KIND_LABELS.items():
        of_kind = [i for i in items if i.kind == kind]
        if of_kind:
            groups.append(AttentionGroup(kind, label, of_kind))
    return groups
