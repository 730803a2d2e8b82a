"""Annex charts drawn with matplotlib from a snapshot's figures: SVG for the PDF and the preview
(vector, text kept as text), PNG for the DOCX (Word does not take SVG everywhere).

Figures are built with the object API (no pyplot global state) and closed after use, so a worker
that renders many reports does not accumulate memory. The SVG output is deterministic (fixed hash
salt, no date), so the same snapshot gives the same chart.
"""

from __future__ import annotations

import io
import re

import matplotlib
from django.utils.translation import gettext

matplotlib.use("Agg")  # never a GUI backend in a worker

from matplotlib.figure import Figure  # noqa: E402

PALETTE = ["#0b5a3c", "#5a9f7c", "#e0a526", "#b8432f", "#8a8a8a", "#3b6ea8", "#7d4e9f"]
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "cap-portal-report",
    "font.family": ["Liberation Sans", "DejaVu Sans"],
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _stacked_bars(rows: list[tuple[str, list[float]]], series: list[str], xlabel: str) -> Figure | None:
    if not rows or not any(sum(values) for _, values in rows):
        return None
    height = 0.9 + 0.28 * len(rows)
    figure = Figure(figsize=(6.3, height))
    axes = figure.add_subplot()
    names = [name for name, _ in rows][::-1]
    left = [0.0] * len(rows)
    for index, label in enumerate(series):
        values = [values[index] for _, values in rows][::-1]
        axes.barh(names, values, left=left, color=PALETTE[index % len(PALETTE)], label=label, height=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_xlabel(xlabel)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(ncols=min(len(series), 5), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    figure.tight_layout()
    return figure


def activities_figure(annex: dict) -> Figure | None:
    activities = annex["activities"]
    rows = [(row["party"], row["counts"]) for row in activities["rows"]]
    series = [status["label"] for status in activities["statuses"]]
    return _stacked_bars(rows, series, gettext("Activities"))


def participants_figure(annex: dict) -> Figure | None:
    rows = [
        (row["party"], [row["female"], row["male"], row["other"]]) for row in annex["participants"]["rows"]
    ]
    series = [gettext("Women"), gettext("Men"), gettext("Other or not recorded")]
    return _stacked_bars(rows, series, gettext("Participants"))


def absorption_figure(annex: dict) -> Figure | None:
    budget = annex["budget"]
    rows = [
        (row["name"], float(row["absorption"])) for row in budget.get("parties", []) if row.get("absorption")
    ]
    if not budget.get("recorded") or not rows:
        return None
    figure = Figure(figsize=(6.3, 0.9 + 0.28 * len(rows)))
    axes = figure.add_subplot()
    axes.barh(
        [name for name, _ in rows][::-1], [value for _, value in rows][::-1], color=PALETTE[0], height=0.6
    )
    axes.set_xlim(0, max(100, *(value for _, value in rows)))
    axes.set_xlabel(gettext("Expenditure as % of funds received"))
    figure.tight_layout()
    return figure


CHARTS = {
    "activities": activities_figure,
    "participants": participants_figure,
    "absorption": absorption_figure,
}


def _save(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        figure.savefig(
            buffer,
            format=fmt,
            metadata={"Date": None} if fmt == "svg" else None,
            dpi=150,
            bbox_inches="tight",
        )
    figure.clear()
    return buffer.getvalue()


def render_charts(annex: dict, fmt: str = "svg") -> dict[str, str | bytes]:
    """The annex charts of a snapshot: inline ``<svg>`` markup (``fmt="svg"``) or PNG bytes."""
    charts: dict[str, str | bytes] = {}
    with matplotlib.rc_context(RC):
        for name, build in CHARTS.items():
            figure = build(annex)
            if figure is None:
                continue
            data = _save(figure, fmt)
            if fmt == "svg":
                text = data.decode("utf-8")
                # Inline markup: drop the XML declaration and DOCTYPE; let CSS size the chart.
                text = text[text.index("<svg") :]
                text = re.sub(r'(<svg[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r"\1", text, count=1)
                charts[name] = _prefix_ids(text, name)
            else:
                charts[name] = data
    return charts


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make the element ids of one chart unique in a document holding several charts."""
    svg = re.sub(r'\bid="', f'id="{prefix}-', svg)
    svg = re.sub(r'href="#', f'href="#{prefix}-', svg)
    return re.sub(r"url\(#", f"url(#{prefix}-", svg)
