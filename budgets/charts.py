"""How the funding pages draw their figures: horizontal bar charts on one scale (inline SVG, no
script; ``templates/budgets/_chart.html``) and an agreement's timeline with its no-cost extensions
(``templates/budgets/_timeline.html``). One way to draw each kind of chart; the figures come from
``budgets.selectors``, which computes money and knows nothing of pixels. No query here.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .choices import BudgetCategory
from .models import ZERO

# --- bar charts ----------------------------------------------------------------------------

BAR_HEIGHT, BAR_GAP, GROUP_GAP = 16, 4, 14


@dataclass
class Bar:
    """A bar of a chart: its value, its length in % of the chart's largest value, and where it
    is drawn in its group (pixels from the group's top)."""

    key: str
    label: str
    value: Decimal
    length: float
    y: int = 0

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass
class ChartGroup:
    label: str
    y: int
    label_y: int
    bars: list


@dataclass
class Chart:
    """Horizontal bars on one scale, in labelled groups, for an inline SVG (no script)."""

    groups: list
    height: int
    legend: list  # [(key, label)]
    bar_height: int = BAR_HEIGHT


def chart(groups, legend) -> Chart:
    """``groups``: ``[(label, [(key, label, value)])]``; every bar is scaled to the largest value
    of the chart (length 0 when all are 0)."""
    groups = [(label, list(items)) for label, items in groups]
    largest = max((value for _label, items in groups for _k, _l, value in items), default=ZERO)
    drawn, top = [], 0
    for label, items in groups:
        height = len(items) * BAR_HEIGHT + (len(items) - 1) * BAR_GAP
        drawn.append(
            ChartGroup(
                label=label,
                y=top,
                label_y=height // 2 + 4,
                bars=[
                    Bar(
                        key,
                        bar_label,
                        value,
                        float(round(100 * value / largest, 2)) if largest else 0.0,
                        y=index * (BAR_HEIGHT + BAR_GAP),
                    )
                    for index, (key, bar_label, value) in enumerate(items)
                ],
            )
        )
        top += height + GROUP_GAP
    return Chart(groups=drawn, height=max(top - GROUP_GAP, 0), legend=list(legend))


def absorption_chart(pairs) -> Chart:
    """``[(Party or donor, Figures)]`` → budget, received and spent of each, on one scale."""
    budget, received, spent = _("Budget"), _("Received"), _("Spent")
    return chart(
        [
            (
                str(obj),
                [("budget", budget, f.budget), ("received", received, f.received), ("spent", spent, f.spent)],
            )
            for obj, f in pairs
        ],
        legend=[("budget", budget), ("received", received), ("spent", spent)],
    )


def figures_chart(figures) -> Chart:
    """One CAP case's ``Figures``: committed, received, budget and spent, a bar each."""
    items = [
        ("committed", _("Committed"), figures.committed),
        ("received", _("Received"), figures.received),
        ("budget", _("Budget"), figures.budget),
        ("spent", _("Spent"), figures.spent),
    ]
    return chart([(label, [(key, label, value)]) for key, label, value in items], [])


def category_chart(budget_by_category: dict, spent_by_category: dict) -> Chart:
    """Budget and spent per budget category (Annex 2 order), the categories with either."""
    budget_label, spent_label = _("Budget"), _("Spent")
    return chart(
        [
            (
                label,
                [
                    ("budget", budget_label, budget_by_category.get(category, ZERO)),
                    ("spent", spent_label, spent_by_category.get(category, ZERO)),
                ],
            )
            for category, label in BudgetCategory.choices
            if budget_by_category.get(category) or spent_by_category.get(category)
        ],
        legend=[("budget", budget_label), ("spent", spent_label)],
    )


# --- an agreement's timeline ---------------------------------------------------------------


@dataclass
class TimelineMark:
    """A date on an agreement's timeline, at ``position`` % of its span."""

    kind: str  # "start", "original_end", "extension", "today"
    day: date
    position: float
    extension: object = None


@dataclass
class AgreementTimeline:
    """An agreement's implementation period drawn on one axis: the original period, each no-cost
    extension as a segment from the end it replaced to its new end, and today's line."""

    start: date
    end: date
    original: tuple  # (left %, width %)
    extensions: list  # [(left %, width %, NoCostExtension)]
    marks: list  # [TimelineMark]
    today: float | None


def agreement_timeline(instrument, *, today: date) -> AgreementTimeline:
    """From the instrument's (prefetched) extensions; no query."""
    extensions = sorted(instrument.extensions.all(), key=lambda e: (e.new_end_date, e.pk))
    start = min(instrument.signed_on, instrument.starts_on)
    last_end = extensions[-1].new_end_date if extensions else instrument.ends_on
    end = max(last_end, today, instrument.ends_on)
    span = max((end - start).days, 1)

    def pos(day):
        return round(100 * (day - start).days / span, 2)

    def segment(first, last):
        return (pos(first), max(round(100 * (last - first).days / span, 2), 0.5))

    segments, previous = [], instrument.ends_on
    for extension in extensions:
        segments.append((*segment(previous, extension.new_end_date), extension))
        previous = max(previous, extension.new_end_date)
    marks = [
        TimelineMark("start", instrument.starts_on, pos(instrument.starts_on)),
        TimelineMark("original_end", instrument.ends_on, pos(instrument.ends_on)),
        *(TimelineMark("extension", e.new_end_date, pos(e.new_end_date), e) for e in extensions),
    ]
    return AgreementTimeline(
        start=start,
        end=end,
        original=segment(instrument.starts_on, instrument.ends_on),
        extensions=segments,
        marks=marks,
        today=pos(today) if start <= today <= end else None,
    )
