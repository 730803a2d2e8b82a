"""The audit trail of one object, read from its django-simple-history records."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
IGNORED_FIELDS = {"updated", "created"}


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
            for change in record.diff_against(previous).changes:
                if change.field in IGNORED_FIELDS:
                    continue
                verbose = obj._meta.get_field(change.field).verbose_name
                changes.append(
                    {"field": change.field, "label": str(verbose), "old": change.old, "new": change.new}
                )
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
