"""The audit trail of one object, read from its django-simple-history records, and the acting
user recorded in it.

Inside a request, ``simple_history.middleware.HistoryRequestMiddleware`` names the signed-in
user on every history record. Writes outside a request (Celery tasks, management commands,
services called with an explicit user) name theirs with :func:`acting_user`, used once by the
generic services and the workflow engine, not by a helper copied into every app.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
# Timestamps change on every save: listing them would only repeat the entry's date.
IGNORED_FIELDS = {"updated", "created"}


class _ActingRequest:
    """What simple-history reads from the request: the user."""

    def __init__(self, user):
        self.user = user


_NO_REQUEST = object()


@contextmanager
def acting_user(user):
    """Within the block, history records name ``user`` as the one who acted (``None`` or an
    anonymous user: the system). Outside a request this is how the user is recorded; inside one
    it names the same user the middleware would. Nested blocks restore the outer user."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", _NO_REQUEST)
    context.request = _ActingRequest(user if getattr(user, "is_authenticated", False) else None)
    try:
        yield
    finally:
        if previous is _NO_REQUEST:
            del context.request
        else:
            context.request = previous


@dataclass
class HistoryEntry:
    date: datetime
    user: str | None
    action: str
    reason: str | None
    changes: list[dict] = field(default_factory=list)


def history_entries(obj, limit: int = 100) -> list[HistoryEntry]:
    """Newest first: who did what and when, with each changed field's old and new value.
    Two queries whatever the length (the records, their users)."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            changes = _changes(previous, record)
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=record.history_user.get_username() if record.history_user else None,
                action=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                reason=record.history_change_reason,
                changes=changes,
            )
        )
    return entries


def _changes(previous, record) -> list[dict]:
    """Each field whose value differs between two records, by name; a related record by its id.

    Every tracked field, non-editable ones included: a workflow state (status, stage, review
    status) is not editable in forms, and simple-history's ``diff_against`` skips those."""
    changes = []
    for tracked in sorted(record.tracked_fields, key=lambda f: f.name):
        if tracked.name in IGNORED_FIELDS:
            continue
        old, new = _value(previous, tracked), _value(record, tracked)
        if old != new:
            label = str(tracked.verbose_name)
            changes.append({"field": tracked.name, "label": label, "old": old, "new": new})
    return changes


def _value(record, tracked):
    value = getattr(record, tracked.attname)
    return getattr(value, "name", value) if isinstance(tracked, models.FileField) else value
