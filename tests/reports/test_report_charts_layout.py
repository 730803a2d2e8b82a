"""The annex charts' layout (``reports.charts._fit``): whatever the Parties' names, their number and
the size of the figures, every text of every chart lies inside the figure, at its designed width,
and none overlaps another part of the chart: the title above the bars, the Party names left of the
axes, the x axis's numbers, then its label, then the legend, downwards; each value label right of
its bar; and no empty rows above the first Party's bar or below the last one's. The charts are
drawn from annexes built here (no database): the names are the longest CITES Parties' and made-up
longer ones."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from reports.charts import CHARTS, RC, WIDTH

LONG_NAMES = [
    "United Kingdom of Great Britain and Northern Ireland",
    "Bolivia (Plurinational State of)",
    "Democratic Republic of the Congo",
    "Lao People's Democratic Republic",
    "Togo",
]
STATUSES = ["Not started", "Ongoing", "Completed", "Delayed", "Cancelled", "On hold", "Dropped"]


def annex(names: list[str], scale: int) -> dict:
    """An annex as the snapshot holds it, with ``scale`` as the order of magnitude of the counts."""
    return {
        "activities": {
            "statuses": [{"code": label.lower(), "label": label} for label in STATUSES],
            "rows": [
                {"party": name, "counts": [(index + step) * scale for step in range(len(STATUSES))]}
                for index, name in enumerate(names)
            ],
        },
        "participants": {
            "rows": [
                {"party": name, "female": index * scale, "male": scale, "other": index % 2}
                for index, name in enumerate(names)
            ]
        },
        "budget": {
            "recorded": True,
            "parties": [
                {"name": name, "absorption": None if index == 0 else str(37.5 * index)}
                for index, name in enumerate(names)
            ],
        },
    }


def drawn(figure):
    """The chart drawn once, and the window extent (pixels) of each of its parts."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    (axes,) = figure.axes

    def extents(texts):
        return [text.get_window_extent(renderer) for text in texts if text.get_visible() and text.get_text()]

    low, high = axes.get_xlim()
    # The locator's ticks beyond the axis's limits have labels too, which are not drawn.
    numbers = [
        label
        for label, tick in zip(axes.get_xticklabels(), axes.get_xticks(), strict=True)
        if low <= tick <= high
    ]
    parts = {
        "title": extents(figure.texts),
        "names": extents(axes.get_yticklabels()),
        "numbers": extents(numbers),
        "axis label": extents([axes.xaxis.label]),
        "values": extents(axes.texts),
        "legend": [legend.get_window_extent(renderer) for legend in figure.legends],
    }
    return figure.bbox, axes.get_window_extent(renderer), parts


@pytest.mark.parametrize(
    "names, scale",
    [
        (["Togo", "Chad"], 1),
        (LONG_NAMES, 10),
        ([f"{name} ({index})" for index, name in enumerate(LONG_NAMES * 12)], 1000),
        # The participants chart's axis ends at 20,004: its last number, 20,000, centred on its
        # tick, is written at the axis's very end.
        (["Togo", "Chad"], 8930),
    ],
    ids=["short names", "long names", "sixty Parties, large counts", "a number at the axis's end"],
)
@pytest.mark.parametrize("chart", list(CHARTS))
def test_every_part_of_a_chart_is_inside_it_and_overlaps_no_other(chart, names, scale):
    with matplotlib.rc_context(RC):
        figure = CHARTS[chart](annex(names, scale))
        page, axes, parts = drawn(figure)
    assert figure.get_figwidth() == pytest.approx(WIDTH)
    assert len(parts["names"]) == len(names) and len(parts["values"]) == len(names)
    everything = [box for boxes in parts.values() for box in boxes]
    for box in everything:
        assert page.x0 <= box.x0 and box.x1 <= page.x1, (chart, box)
        assert page.y0 <= box.y0 and box.y1 <= page.y1, (chart, box)
    (title,) = parts["title"]
    assert title.y0 >= axes.y1
    assert max(box.x1 for box in parts["names"]) <= axes.x0
    assert max(box.y1 for box in parts["numbers"]) <= axes.y0
    (label,) = parts["axis label"]
    assert label.y1 <= min(box.y0 for box in parts["numbers"])
    for legend in parts["legend"]:
        assert legend.y1 <= label.y0
    # No empty rows above the first Party's bar or below the last one's: less than a row's pitch.
    bars = _label_rows(figure.axes[0])
    pitch = axes.height / len(names)
    assert axes.y1 - max(bar.y1 for bar in bars) < pitch
    assert min(bar.y0 for bar in bars) - axes.y0 < pitch
    # Each value label starts right of its own bar's end and of every bar of its row.
    for value, bar_end in zip(parts["values"], _bar_ends(figure), strict=True):
        assert value.x0 >= bar_end


def _bar_ends(figure) -> list[float]:
    """The right end (pixels) of each row's bars, in the order of the value labels."""
    (axes,) = figure.axes
    ends: dict[float, float] = {}
    for patch in axes.patches:
        box = patch.get_window_extent()
        key = round(box.y0 + box.y1, 3)
        ends[key] = max(ends.get(key, box.x1), box.x1)
    positions = [round(box.y0 + box.y1, 3) for box in _label_rows(axes)]
    return [ends[position] for position in positions]


def _label_rows(axes):
    """The bar each value label belongs to (the last container's bars, one per row, in order)."""
    return [bar.get_window_extent() for bar in axes.containers[-1]]
