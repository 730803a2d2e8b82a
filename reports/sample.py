"""Sample: the SC78 progress report on the CAP (SC78 Doc. 23), composed from the sample portfolio.

Meeting, place, dates, agenda headings and symbol are those of the SC78 document; the as-of date
is illustrative (the document is "as of the time of writing", late 2024). Sections take their
default text from the data; nothing is rendered here (render it from the report page).
"""

import datetime

from django.db import transaction

from parties.models import Party

from .models import Report
from .services import report_create

SC78_PARTIES = ("KH", "GN", "LA", "NG", "SB", "SR", "TG", "VN")


@transaction.atomic
def load() -> None:
    """Create the SC78 report with its eight Party sections (idempotent)."""
    if Report.objects.filter(symbol="SC78 Doc. 23").exists():
        return
    report_create(
        user=None,
        data={
            "symbol": "SC78 Doc. 23",
            "meeting_name": "Seventy-eighth meeting of the Standing Committee",
            "meeting_place": "Geneva (Switzerland)",
            "meeting_start": datetime.date(2025, 2, 3),
            "meeting_end": datetime.date(2025, 2, 8),
            "agenda_headings": "Strategic matters\nCapacity-building",
            "language": "en",
            "as_of": datetime.date(2024, 12, 15),  # illustrative: "as of the time of writing"
            "parties": list(Party.objects.filter(code__in=SC78_PARTIES)),
        },
    )
