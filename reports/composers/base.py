"""Section composers: the default text and figures of each section of the report, from the data.

One small function per section kind, registered with ``@composer(kind)``: it takes a
:class:`ComposeContext` (the report, its as-of date, its Parties, the Party of a Party section)
and returns a :class:`Composition` — the default body (paragraphs separated by blank lines, "- "
lines for a lettered list) and the figures it used. A later slice plugs in by registering a
composer for a kind, or by filling a selector in ``reports.selectors``. Composers run under
``translation.override(report.language)``, so their text follows the report's language.
Where data is not recorded (yet), a composer says so; it never invents figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import date_format, get_format
from django.utils.translation import get_language, gettext, gettext_lazy

from parties.names import english_takes_the

from .. import selectors
from ..choices import SectionKind

K = SectionKind


@dataclass(frozen=True)
class SectionLayout:
    """Where a kind of section sits in the document and how it is shown."""

    kind: str
    heading: object  # a lazy translatable string; "" for no heading
    level: int = 1  # 1: main heading, 2: sub-heading (a Party, a finding)
    numbered: bool = True  # paragraphs take the document's continuous numbers
    per_party: bool = False


# The document's order, after the SC78 document (SC78 Doc. 23).
LAYOUT: list[SectionLayout] = [
    SectionLayout(K.INTRODUCTION, ""),
    SectionLayout(K.DECISIONS, ""),  # "At its 19th meeting … adopted Decisions …, as follows:"
    SectionLayout(K.BACKGROUND, gettext_lazy("Background")),
    SectionLayout(
        K.IMPLEMENTATION,
        gettext_lazy("In-country compliance assistance to selected Parties by the Secretariat"),
    ),
    SectionLayout(K.PARTY, "", level=2, per_party=True),
    SectionLayout(
        K.FINDINGS,
        gettext_lazy("Overall findings and recommendations of the Secretariat on CAP implementation"),
    ),
    SectionLayout(K.FINDING_SELECTION, gettext_lazy("Selection of beneficiary Parties"), level=2),
    SectionLayout(K.FINDING_IMPACT, gettext_lazy("Impact"), level=2),
    SectionLayout(K.FINDING_OWNERSHIP, gettext_lazy("Ownership by the beneficiary Parties"), level=2),
    SectionLayout(K.FINDING_SUSTAINABILITY, gettext_lazy("Sustainability"), level=2),
    SectionLayout(K.FINDING_ADAPTABILITY, gettext_lazy("Adaptability and scaling up"), level=2),
    SectionLayout(K.FINDING_TIMEFRAMES, gettext_lazy("Timeframes"), level=2),
    SectionLayout(K.FINDING_EXPECTATIONS, gettext_lazy("Managing expectations"), level=2),
    SectionLayout(K.FINDING_FINANCE, gettext_lazy("Financial mechanisms and disbursement"), level=2),
    SectionLayout(K.FINDING_ABSORPTION, gettext_lazy("Budget absorption potential"), level=2),
    SectionLayout(K.FINDING_GENDER, gettext_lazy("Gender considerations"), level=2),
    SectionLayout(K.FINDING_MANAGEMENT, gettext_lazy("CAP management, monitoring and evaluation"), level=2),
    SectionLayout(K.COOPERATION, gettext_lazy("Cooperation with partners"), level=2),
    SectionLayout(K.CONCLUSIONS, gettext_lazy("Conclusions"), level=2),
    SectionLayout(K.RECOMMENDATIONS, gettext_lazy("Recommendations")),
    SectionLayout(
        K.DRAFT_DECISIONS,
        gettext_lazy("Draft decisions on the Compliance Assistance Programme"),
        numbered=False,
    ),
]
LAYOUT_BY_KIND = {layout.kind: layout for layout in LAYOUT}


@dataclass
class ComposeContext:
    """What a composer composes from. ``memo`` shares a query between the sections of one run."""

    report: object
    as_of: datetime.date
    parties: list
    party: object = None
    cache: dict = field(default_factory=dict)

    @property
    def party_ids(self) -> list[int]:
        return [party.pk for party in self.parties]

    def memo(self, key: str, compute: Callable):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    # The per-Party reads every section shares, each one query for all the report's Parties.

    def activities(self) -> list:
        """Activities of the workplans in force, as recorded on the as-of date (with ``party_id``)."""
        return self.memo(
            "activities_in_force", lambda: selectors.activities_in_force(self.party_ids, self.as_of)
        )

    def late_activities(self, party_id) -> list:
        late = self.memo(
            "late_activities",
            lambda: selectors.late_activities(self.party_ids, self.as_of, self.activities()),
        )
        return late.get(party_id, [])

    def corrective_actions(self, party_id) -> list:
        actions = self.memo(
            "corrective_actions", lambda: selectors.corrective_actions(self.party_ids, self.as_of)
        )
        return actions.get(party_id, [])

    def open_compliance_cases(self, party_id) -> list:
        cases = self.memo("open_cases", lambda: selectors.open_compliance_cases(self.party_ids, self.as_of))
        return cases.get(party_id, [])

    def activity_counts(self) -> tuple[dict[int, dict[str, int]], dict[str, str]]:
        """Party id → activities of its workplan in force by status, and the status labels."""
        return self.memo(
            "activities",
            lambda: selectors.activities_by_status(
                self.party_ids, self.as_of, workplans=self.workplans(), activities=self.activities()
            ),
        )

    def workplans(self) -> dict:
        """Party id → its workplan in force on the as-of date, as recorded then."""
        return self.memo("workplans", lambda: selectors.current_workplans(self.party_ids, self.as_of))

    def recommendations(self) -> list:
        return self.memo("recommendation_rows", lambda: selectors.recommendations(self.party_ids, self.as_of))

    def missions(self) -> list:
        return self.memo("missions", lambda: selectors.missions(self.party_ids, self.as_of))

    def events(self) -> list:
        return self.memo("events", lambda: selectors.events(self.party_ids, self.as_of))

    def participants(self) -> dict[int, dict[str, int]]:
        """Party id → participants in its events held by the as-of date (female, male, other)."""
        return self.memo(
            "participants",
            lambda: selectors.participants_by_sex(self.party_ids, self.as_of, rows=self.events()),
        )

    def deliverables(self) -> list:
        return self.memo("deliverables", lambda: selectors.deliverables(self.party_ids, self.as_of))

    def results(self) -> list:
        return self.memo("results", lambda: selectors.results(self.party_ids, self.as_of))

    def progress_ratings(self, party_id) -> list:
        ratings = self.memo(
            "progress_ratings", lambda: selectors.progress_ratings_by_party(self.party_ids, self.as_of)
        )
        return ratings.get(party_id, [])

    def of_party(self, key: str, rows: Callable[[], list], party_of: Callable, party_id) -> list:
        """The rows of one Party, from rows read once for all the Parties (``rows()``, grouped
        once by ``party_of(row)``, in their order): each Party's section reads its own share
        without going through every Party's rows."""
        grouped = self.memo(f"{key} by party", lambda: _grouped(rows(), party_of))
        return grouped.get(party_id, [])

    def for_party(self, party) -> ComposeContext:
        return ComposeContext(self.report, self.as_of, self.parties, party, self.cache)


def _grouped(rows: list, party_of: Callable) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(party_of(row), []).append(row)
    return grouped


@dataclass
class Composition:
    body: str
    figures: dict = field(default_factory=dict)


COMPOSERS: dict[str, Callable[[ComposeContext], Composition]] = {}


def composer(kind: str):
    """Register the composer of a section kind (a later registration replaces an earlier one)."""

    def register(function):
        COMPOSERS[kind] = function
        return function

    return register


def compose(kind: str, context: ComposeContext) -> Composition:
    function = COMPOSERS.get(kind)
    if function is None:
        return Composition("")
    return function(context)


# --- Helpers -------------------------------------------------------------------------------------


# The conventions of CITES documents in each language are the portal's formats
# (cap_portal/formats/: day before month, "de" in Spanish; thousands grouped by a comma, a
# no-break space or a period); documents add the French "1er" for the first of the month.


def _language() -> str:
    return (get_language() or "en")[:2]


def _day(day: datetime.date) -> str:
    return "1er" if day.day == 1 and _language() == "fr" else str(day.day)


def format_date(day: datetime.date, *, year: bool = True) -> str:
    """ "3 February 2025", "1er février 2025", "3 de febrero de 2025" in the active language."""
    text = date_format(day, "DATE_FORMAT" if year else "MONTH_DAY_FORMAT")
    return _day(day) + text[len(str(day.day)) :]


def format_range(start: datetime.date, end: datetime.date) -> str:
    """ "3-8 February 2025"; "28 March-2 April 2024"; one day: "27 March 2024"."""
    if start == end:
        return format_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{_day(start)}-{format_date(end)}"
    if start.year == end.year:
        return f"{format_date(start, year=False)}-{format_date(end)}"
    return f"{format_date(start)}-{format_date(end)}"


def format_number(value, decimal_pos: int | None = None) -> str:
    """A number in the active language's document convention: "1,234.56", "1 234,56", "1.234,56".
    ``value`` may be a Decimal, an int, a float or the string of a snapshot."""
    decimal_sep, thousand_sep = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    number = Decimal(str(value)) if isinstance(value, str) else value
    return numberformat.format(
        number,
        decimal_sep,
        decimal_pos=decimal_pos,
        grouping=3,
        thousand_sep=thousand_sep,
        force_grouping=True,
    )


def format_money(amount, currency: str = "USD") -> str:
    """ "USD 595,000.00" ("USD 595 000,00" in French): the currency, then the amount to the cent."""
    return f"{currency}\u00a0{format_number(amount, 2)}" if currency else format_number(amount, 2)


def join_list(items: list[str]) -> str:
    """ "a, b and c" in the active language."""
    items = [str(item) for item in items if item]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def named(name: str) -> str:
    """A Party's or donor's name as it reads inside an English sentence ("the European Union",
    the rule of ``parties.names``); other languages are written as recorded."""
    name = str(name)
    if (get_language() or "en").startswith("en") and english_takes_the(name):
        return f"the {name}"
    return name


def names(items) -> str:
    """Names joined as a list, each as it reads inside a sentence."""
    return join_list([named(item) for item in items])


def paragraphs(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def bullet_list(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _party_name(context: ComposeContext) -> str:
    return context.party.localized_name if context.party is not None else ""
