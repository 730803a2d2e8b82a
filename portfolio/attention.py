"""What needs attention in the portfolio (issue 7): each item names the thing to fix and links to
it. Everything is restricted to what the user may see.

Constant work (issue 15.1): each kind is one ordered queryset (``attention_querysets``), read with
one query that fetches only the rows shown — the first few on the home page, one page on the
attention list — and counts all of them in SQL (``COUNT(*) OVER ()``), whatever the size of the
portfolio and however many items are overdue on the day it is viewed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from budgets.models import Installment, LegalInstrument
from cap_portal.access import Action
from cases.models import Recommendation
from workplans.choices import WorkplanStatus
from workplans.models import Activity, Deliverable, Milestone, ProgressUpdate, Workplan
from workplans.reporting import activities_due_an_update, update_due_date

AGREEMENT_ENDING_DAYS = 90
ATTENTION_PREVIEW = 5  # items per kind on the home page
ATTENTION_PAGE_SIZE = 50  # items per kind and page on the attention list


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
    """The items of one kind that are shown, and how many there are in all. On the attention list
    ``page`` is the page of the kind shown; on the home page ``preview`` is true and a link leads
    to the full list when there are more items than shown."""

    kind: str
    label: str
    items: list
    count: int = 0
    page: Page | None = None
    preview: bool = False

    @property
    def more(self) -> bool:
        return self.preview and self.count > len(self.items)

    @property
    def querystring(self) -> str:
        """What the page links of this kind's list carry."""
        return f"kind={self.kind}"


@dataclass
class Attention:
    groups: list[AttentionGroup]

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)


class Scope:
    """The user's view of the portfolio on a day: every queryset restricted to what they may see,
    and to ``party_ids`` when given."""

    def __init__(self, user, today: datetime.date, party_ids):
        self.user, self.today = user, today
        self.party_ids = None if party_ids is None else list(party_ids)

    def rows(self, model, path):
        queryset = model.objects.restrict(self.user, Action.VIEW)
        return queryset if self.party_ids is None else queryset.filter(**{f"{path}__in": self.party_ids})


# --- the kinds: an ordered queryset and how a row becomes an item, per kind -----------------------


def _progress_overdue(scope):
    activities = activities_due_an_update(scope.rows(Activity, "workplan__cap_case__party"), scope.today)
    return activities.select_related("workplan__cap_case__party").order_by("planned_start", "pk")


def _progress_overdue_item(a):
    return AttentionItem(
        Kind.PROGRESS_OVERDUE,
        a.workplan.cap_case.party,
        str(a),
        _("No progress reported since %(date)s.") % {"date": date_format(a.last_reported or a.planned_start)},
        update_due_date(a),
        reverse("workplans:progress_add", kwargs={"parent": a.pk}),
    )


def _workplan_submitted(scope):
    return scope.rows(Workplan, "cap_case__party").awaiting_review().for_table().order_by("updated", "pk")


def _workplan_submitted_item(w):
    return AttentionItem(
        Kind.WORKPLAN_SUBMITTED,
        w.cap_case.party,
        str(w),
        _("Submitted for approval."),
        w.updated.date(),
        w.get_absolute_url(),
    )


def _progress_submitted(scope):
    updates = scope.rows(ProgressUpdate, "activity__workplan__cap_case__party").awaiting_review()
    return updates.for_table().order_by("created", "pk")


def _progress_submitted_item(u):
    return AttentionItem(
        Kind.PROGRESS_SUBMITTED,
        u.activity.workplan.cap_case.party,
        str(u),
        _("Reported by %(user)s.") % {"user": u.submitted_by or "—"},
        u.created.date(),
        reverse("workplans:progress_review", kwargs={"pk": u.pk}),
    )


def _deliverable_submitted(scope):
    deliverables = scope.rows(Deliverable, "cap_case__party").awaiting_review().exclude(file="")
    return deliverables.for_table().order_by("created", "pk")


def _deliverable_submitted_item(d):
    return AttentionItem(
        Kind.DELIVERABLE_SUBMITTED,
        d.cap_case.party,
        str(d),
        d.get_kind_display(),
        d.delivered_on,
        reverse("workplans:deliverable_review", kwargs={"pk": d.pk}),
    )


def _milestone_overdue(scope):
    milestones = scope.rows(Milestone, "workplan__cap_case__party").overdue(scope.today)
    return milestones.filter(workplan__status=WorkplanStatus.APPROVED).for_table().order_by("due_on", "pk")


def _milestone_overdue_item(m):
    return AttentionItem(
        Kind.MILESTONE_OVERDUE,
        m.workplan.cap_case.party,
        str(m),
        _("Due on %(date)s, not met.") % {"date": date_format(m.due_on)},
        m.due_on,
        reverse("workplans:milestone_edit", kwargs={"pk": m.pk}),
    )


def _agreement_ending(scope):
    horizon = scope.today + datetime.timedelta(days=AGREEMENT_ENDING_DAYS)
    return (
        scope.rows(LegalInstrument, "cap_case__party")
        .with_current_end()
        .filter(current_end__gte=scope.today, current_end__lte=horizon)
        .select_related("cap_case__party")
        .order_by("current_end", "pk")
    )


def _agreement_ending_item(i):
    return AttentionItem(
        Kind.AGREEMENT_ENDING,
        i.cap_case.party,
        str(i),
        _("Ends on %(date)s: extend it or prepare the closure.") % {"date": date_format(i.current_end)},
        i.current_end,
        i.get_absolute_url(),
    )


def _installment_late(scope):
    installments = scope.rows(Installment, "instrument__cap_case__party").overdue(scope.today)
    return installments.for_table().order_by("planned_on", "pk")


def _installment_late_item(n):
    return AttentionItem(
        Kind.INSTALLMENT_LATE,
        n.instrument.cap_case.party,
        str(n),
        _("Planned for %(date)s, not received.") % {"date": date_format(n.planned_on)},
        n.planned_on,
        n.get_absolute_url(),
    )


def _recommendation_unaddressed(scope):
    # Addressed: linked to an activity of a version in force (not superseded). NOT IN a hashed
    # subquery: PostgreSQL builds the set once, where NOT EXISTS under a LIMIT can turn into a
    # nested loop over every recommendation.
    addressed = (
        Activity.objects.exclude(workplan__status=WorkplanStatus.SUPERSEDED)
        .filter(recommendations__isnull=False)
        .values("recommendations")
    )
    return (
        scope.rows(Recommendation, "party")
        .overdue(scope.today)
        .exclude(pk__in=addressed)
        .select_related("party", "adopted_at")
        .order_by("deadline", "pk")
    )


def _recommendation_unaddressed_item(r):
    return AttentionItem(
        Kind.RECOMMENDATION_UNADDRESSED,
        r.party,
        str(r),
        _("Deadline %(date)s passed; no activity of a workplan addresses it.")
        % {"date": date_format(r.deadline)},
        r.deadline,
        r.get_absolute_url(),
    )


# kind → (its ordered queryset, how a row becomes an item), in the order of ``KIND_LABELS``
SOURCES = {
    Kind.PROGRESS_OVERDUE: (_progress_overdue, _progress_overdue_item),
    Kind.WORKPLAN_SUBMITTED: (_workplan_submitted, _workplan_submitted_item),
    Kind.PROGRESS_SUBMITTED: (_progress_submitted, _progress_submitted_item),
    Kind.DELIVERABLE_SUBMITTED: (_deliverable_submitted, _deliverable_submitted_item),
    Kind.MILESTONE_OVERDUE: (_milestone_overdue, _milestone_overdue_item),
    Kind.AGREEMENT_ENDING: (_agreement_ending, _agreement_ending_item),
    Kind.INSTALLMENT_LATE: (_installment_late, _installment_late_item),
    Kind.RECOMMENDATION_UNADDRESSED: (_recommendation_unaddressed, _recommendation_unaddressed_item),
}


def count_rows(querysets: dict) -> dict:
    """key → the number of rows of each queryset, in ONE query (a scalar subquery per queryset);
    no query at all for an empty dict. The querysets are on one database."""
    if not querysets:
        return {}
    keys = list(querysets)
    parts, params = [], []
    for i, key in enumerate(keys):
        try:
            sql, part_params = querysets[key].order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # ``none()``: no SQL, no row
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{i})")
        params.extend(part_params)
    database = next(iter(querysets.values())).db
    with connections[database].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(keys, row, strict=True))


def attention_querysets(user, today: datetime.date | None = None, party_ids=None) -> dict:
    """kind → the ordered queryset of its items that ``user`` may see (of ``party_ids`` when
    given), in the order of ``KIND_LABELS``. Nothing is read yet."""
    scope = Scope(user, today or timezone.localdate(), party_ids)
    return {kind: rows(scope) for kind, (rows, _item) in SOURCES.items()}


def read_items(queryset, build, start: int, stop: int) -> tuple[list[AttentionItem], int]:
    """The items (``build(row)``) of rows ``start`` to ``stop`` of ``queryset``, and how many rows
    it has in all: one query, the count computed by the database beside the rows it returns."""
    # The count is a scalar subquery over the rows' keys only (evaluated once): a window count
    # would carry every matching row, all its columns, through the sort to return five.
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a kind the user may not see at all (``none()``): nothing to read
        return [], 0
    total = RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS counted", params, output_field=IntegerField())
    rows = list(queryset.annotate(attention_total=total)[start:stop])
    return [build(row) for row in rows], (rows[0].attention_total if rows else 0)


def attention(
    user, today: datetime.date | None = None, party_ids=None, *, preview: int = ATTENTION_PREVIEW
) -> Attention:
    """The kinds with items, each with its count and its first ``preview`` items (the home page):
    one query per kind."""
    groups = []
    for kind, queryset in attention_querysets(user, today, party_ids).items():
        items, count = read_items(queryset, SOURCES[kind][1], 0, preview)
        if count:
            groups.append(AttentionGroup(kind, KIND_LABELS[kind], items, count, preview=True))
    return Attention(groups)


def attention_pages(
    user,
    today: datetime.date | None = None,
    party_ids=None,
    *,
    kind: str | None = None,
    page=1,
    per_page: int = ATTENTION_PAGE_SIZE,
) -> Attention:
    """The kinds with items, each with one page of them: page ``page`` of ``kind``, the first page
    of the others (the attention list). One query per kind (two for a page past the last one)."""
    try:
        number = max(int(page), 1)
    except (TypeError, ValueError):
        number = 1
    groups = []
    for name, queryset in attention_querysets(user, today, party_ids).items():
        shown = number if name == kind else 1
        build = SOURCES[name][1]
        items, count = read_items(queryset, build, (shown - 1) * per_page, shown * per_page)
        if not items and shown > 1:  # past the last page: the first one
            shown = 1
            items, count = read_items(queryset, build, 0, per_page)
        if not count:
            continue
        paginator = Paginator(queryset, per_page)
        paginator.count = count  # counted with the rows: no second COUNT query
        groups.append(
            AttentionGroup(name, KIND_LABELS[name], items, count, page=Page(items, shown, paginator))
        )
    return Attention(groups)


def needs_attention(user, today: datetime.date | None = None, party_ids=None) -> list[AttentionItem]:
    """Every item needing attention that the user may see (of ``party_ids`` when given), by kind
    and then by date. Reads every row: for scripts and tests; the pages use :func:`attention` and
    :func:`attention_pages`."""
    items: list[AttentionItem] = []
    for kind, queryset in attention_querysets(user, today, party_ids).items():
        items.extend(SOURCES[kind][1](row) for row in queryset)
    return items


def attention_groups(items: list[AttentionItem]) -> list[AttentionGroup]:
    """The items grouped by kind, in the order of ``KIND_LABELS`` (empty kinds left out)."""
    groups = []
    for kind, label in KIND_LABELS.items():
        of_kind = [i for i in items if i.kind == kind]
        if of_kind:
            groups.append(AttentionGroup(kind, label, of_kind, len(of_kind)))
    return groups
