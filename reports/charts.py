"""Annex charts drawn with matplotlib from a snapshot's figures: SVG for the PDF and the preview
(vector, text kept as text), PNG for the DOCX (Word does not take SVG everywhere). The PDF and the
DOCX draw the same charts from the same function, so they cannot drift apart.

Every chart carries its title inside the figure (it stays with the chart on any page and in
Word), shows every Party of the report (a Party with nothing recorded gets a bar of zero, labelled
0, not a missing row) and writes its numbers in the report's language (``format_number``).
Figures are built with the object API (no pyplot global state) and closed after use, so a worker
that renders many reports does not accumulate memory. The SVG output is deterministic (fixed hash
salt, no date), so the same snapshot gives the same chart.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import pickle
import re
import select
import signal
import time
import traceback
from decimal import Decimal

import matplotlib
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext

from .composers.base import format_number

matplotlib.use("Agg")  # never a GUI backend in a worker

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

PALETTE = ["#0b5a3c", "#5a9f7c", "#e0a526", "#b8432f", "#8a8a8a", "#3b6ea8", "#7d4e9f"]
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "cap-portal-report",
    "font.family": ["Liberation Sans", "DejaVu Sans"],
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
WIDTH = 6.3  # inches: the text width of an A4 page with 2 cm margins
GAP = 4.0  # points: between the figure's edge and its outermost text, and between stacked texts
LABEL_PADDING = 3.0  # points between a bar's end and its value label
AHEAD_TIMEOUT = 300.0  # seconds a render waits for charts drawn ahead before drawing them itself

logger = logging.getLogger(__name__)


def chart_titles() -> dict[str, str]:
    """The title of each chart, in the active language (the same words as the annex headings)."""
    return {
        "activities": gettext("Activities by status"),
        "participants": gettext("Participants in CAP events by sex"),
        "absorption": gettext("Expenditure as % of funds received"),
    }


def _ticks(value, _position) -> str:
    return format_number(int(value)) if float(value).is_integer() else format_number(round(value, 1))


def _figure(title: str, rows: int) -> tuple[Figure, object]:
    # No layout engine: :func:`_fit` places the axes once every text is known (a constrained
    # layout drew the whole chart once more to measure it: 45% of the charts' time;
    # docs/performance.md). The figure is saved whole, at the text width.
    figure = Figure(figsize=(WIDTH, 1.3 + 0.28 * rows))
    figure.suptitle(title, fontweight="bold", fontsize=9, va="top")
    axes = figure.add_subplot()
    axes.xaxis.set_major_formatter(FuncFormatter(_ticks))
    axes.margins(x=0.12)
    # Rows 0 … rows - 1, bars 0.6 high: a fifth of a row's pitch above the first bar and below the
    # last, whatever the number of Parties (a margin in percent left rows of empty space above
    # and below fifty Parties' bars).
    axes.set_ylim(-0.5, rows - 0.5)
    return figure, axes


def _fit(figure: Figure, axes, names: list[str], ends: list[float], labels: list[str], legend=None) -> None:
    """Place the axes so that everything drawn lies inside the figure, without overlaps: the title
    at the top, the Party names left of the axes, the x axis's numbers and label above the legend
    at the foot, and each bar's value label (``labels``, at the bar ends ``ends``) right of its bar.

    Measured once from the texts themselves (the renderer's font metrics), before the chart is
    drawn once; ``tests/reports/test_report_charts_layout.py`` checks that nothing leaves the figure
    or overlaps, for Party names of every length."""
    renderer = FigureCanvasAgg(figure).get_renderer()
    width, height = figure.bbox.width, figure.bbox.height  # pixels
    points = figure.dpi / 72
    gap = GAP * points

    def extents(texts: list[str], size) -> list:
        """The extent (pixels) each text would have, written at ``size``."""
        probe = Text(text="", fontsize=size)
        probe.set_figure(figure)
        measured = []
        for text in texts:
            probe.set_text(text)
            measured.append(probe.get_window_extent(renderer))
        return measured

    def widths(texts: list[str], size) -> list[float]:
        return [extent.width for extent in extents(texts, size)]

    (title,) = figure.texts  # the figure's one text of its own: the suptitle
    title.set_y(1 - gap / height)
    top = 2 * gap + title.get_window_extent(renderer).height
    rc = matplotlib.rcParams
    tick_y = (rc["ytick.major.size"] + rc["ytick.major.pad"]) * points
    left = gap + max(widths(names, rc["ytick.labelsize"]), default=0.0) + tick_y
    tick_x = (rc["xtick.major.size"] + rc["xtick.major.pad"]) * points
    foot = legend.get_window_extent(renderer).y1 if legend is not None else 0.0
    bottom = foot + gap + axes.xaxis.label.get_window_extent(renderer).height
    bottom += rc["axes.labelpad"] * points + extents(["0123456789"], rc["xtick.labelsize"])[0].height + tick_x
    figure.subplots_adjust(
        left=left / width, right=1 - gap / width, bottom=bottom / height, top=1 - top / height
    )
    # The value labels and the x axis's last numbers (centred on their ticks): the one that
    # reaches furthest right decides the right margin (the axes shrink by what it overflows,
    # which moves everything in them left, so one correction suffices).
    low, high = axes.get_xlim()
    span = axes.get_position().width * width

    def at(value: float) -> float:
        return left + (value - low) / (high - low) * span

    label_widths = widths(labels, rc["font.size"])
    reach = max(
        at(end) + LABEL_PADDING * points + label_width
        for end, label_width in zip(ends, label_widths, strict=True)
    )
    ticks = [tick for tick in axes.xaxis.get_major_locator()() if low <= tick <= high]
    numbers = axes.xaxis.get_major_formatter().format_ticks(ticks)
    for tick, number_width in zip(ticks, widths(numbers, rc["xtick.labelsize"]), strict=True):
        reach = max(reach, at(tick) + number_width / 2)
    if reach > width - gap:
        figure.subplots_adjust(right=1 - (gap + reach - (width - gap)) / width)


def _label_bars(axes, bars, names: list[str], labels: list[str]) -> None:
    """Write each bar's value at its end; each label is a group named after its Party in the SVG
    (``<chart>-value-<party slug>``), so the value a Party is shown with can be read back."""
    for text, name in zip(axes.bar_label(bars, labels=labels, padding=LABEL_PADDING), names, strict=True):
        text.set_gid(f"value-{slugify(name)}")


def _stacked_bars(
    rows: list[tuple[str, list[float]]], series: list[str], xlabel: str, title: str
) -> Figure | None:
    if not rows or not any(sum(values) for _, values in rows):
        return None
    figure, axes = _figure(title, len(rows))
    names = [name for name, _ in rows][::-1]
    left = [0.0] * len(rows)
    bars = None
    for index, label in enumerate(series):
        values = [values[index] for _, values in rows][::-1]
        bars = axes.barh(
            names, values, left=left, color=PALETTE[index % len(PALETTE)], label=label, height=0.6
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    # The row's total at the end of its bar: a Party with nothing recorded reads "0".
    labels = [format_number(int(total)) for total in left]
    _label_bars(axes, bars, names, labels)
    axes.set_xlabel(xlabel)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    legend = figure.legend(ncols=min(len(series), 5), loc="lower center", frameon=False)
    _fit(figure, axes, names, left, labels, legend)
    return figure


def activities_figure(annex: dict) -> Figure | None:
    activities = annex["activities"]
    rows = [(row["party"], row["counts"]) for row in activities["rows"]]
    series = [status["label"] for status in activities["statuses"]]
    return _stacked_bars(rows, series, gettext("Activities"), chart_titles()["activities"])


def participants_figure(annex: dict) -> Figure | None:
    rows = [
        (row["party"], [row["female"], row["male"], row["other"]]) for row in annex["participants"]["rows"]
    ]
    series = [gettext("Women"), gettext("Men"), gettext("Other or not recorded")]
    return _stacked_bars(rows, series, gettext("Participants"), chart_titles()["participants"])


def absorption_rows(annex: dict) -> list[tuple[str, Decimal, str]]:
    """Every Party of the budget table with its absorption and the label of its bar; a Party with
    no funds received is drawn at 0 and says so."""
    rows = []
    for row in annex["budget"].get("parties", []):
        if row.get("absorption") is None:
            label = gettext("%(rate)s%% (no funds received)") % {"rate": format_number(0)}
            rows.append((row["name"], Decimal(0), label))
        else:
            rate = Decimal(row["absorption"])
            rows.append((row["name"], rate, f"{format_number(rate, 1)}%"))
    return rows


def absorption_figure(annex: dict) -> Figure | None:
    if not annex["budget"].get("recorded"):
        return None
    rows = absorption_rows(annex)
    if not rows:
        return None
    figure, axes = _figure(chart_titles()["absorption"], len(rows))
    values = [float(rate) for _, rate, _ in rows][::-1]
    names = [name for name, _, _ in rows][::-1]
    labels = [label for _, _, label in rows][::-1]
    bars = axes.barh(names, values, color=PALETTE[0], height=0.6)
    _label_bars(axes, bars, names, labels)
    top = max(100.0, *values)
    axes.set_xlim(0, top * 1.25)  # room for the labels beyond the longest bar
    axes.set_xticks(list(range(0, int(top) + 1, 20)))
    axes.set_xlabel("%")
    _fit(figure, axes, names, values, labels)
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


class ChartsAhead:
    """The annex charts drawn in a forked process while the worker composes the rest of the report.

    Drawing is about 40% of composing (matplotlib: 1.5 of 3.7 s at 50 Parties on a 2-core machine;
    docs/performance.md) and needs nothing but the annex's figures, which ``build_snapshot``
    computes before the Parties' sections (``on_annex``). :meth:`start` forks there: the child
    draws :func:`render_charts` of that annex in the same language, sends them back through a
    pipe and leaves with ``os._exit`` (none of the parent's clean-up runs in it: its database
    connection, shared with the parent, is left alone; it touches no database); the parent goes
    on composing on the other core. :meth:`charts` returns what the child drew, or draws them
    itself where there is no child (no ``fork`` on this platform, an annex other than the one
    started, a child that failed or took more than ``timeout`` seconds: logged, then killed).
    Either way the charts are the same bytes.

    The child is forked from a worker that may run a heartbeat thread; it uses no lock that thread
    takes (logging's locks are re-made at fork by Python). Use as a context manager, so that a
    child left behind by an error is killed and reaped."""

    def __init__(self, fmt: str = "svg", timeout: float = AHEAD_TIMEOUT):
        self.fmt = fmt
        self.timeout = timeout
        self.annex: dict | None = None
        self.pid: int | None = None
        self.drawn_in: int | None = None  # the process the charts were drawn in (for tests, logs)
        self._pipe: int | None = None

    def __enter__(self) -> ChartsAhead:
        return self

    def __exit__(self, *exc_info) -> bool:
        self._finish(kill=True)
        return False

    def start(self, annex: dict) -> None:
        """Fork a child that draws the charts of ``annex`` (once; nothing where fork is missing)."""
        if self.pid is not None or not hasattr(os, "fork"):
            return
        language = translation.get_language()
        try:
            read, write = os.pipe()
        except OSError:
            logger.warning("No pipe for the charts drawn ahead: drawn in the render", exc_info=True)
            return
        try:
            pid = os.fork()
        except OSError:  # no memory or process left for a child: the render draws them
            os.close(read)
            os.close(write)
            logger.warning("No child for the charts drawn ahead: drawn in the render", exc_info=True)
            return
        if pid == 0:  # the child: draw, send, leave
            status = 1
            try:
                os.close(read)
                try:
                    with translation.override(language):
                        drawn = (os.getpid(), render_charts(annex, self.fmt), None)
                except Exception:
                    drawn = (os.getpid(), None, traceback.format_exc())
                with os.fdopen(write, "wb") as out:
                    out.write(pickle.dumps(drawn, protocol=5))
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self.annex, self.pid, self._pipe = annex, pid, read

    def charts(self, annex: dict) -> dict[str, str | bytes]:
        """The charts of ``annex``: the child's, or drawn here."""
        if self.pid is not None and annex is self.annex:
            received = self._receive()
            if received is not None:
                self.drawn_in, charts = received
                return charts
        self.drawn_in = os.getpid()
        return render_charts(annex, self.fmt)

    def _receive(self) -> tuple[int, dict] | None:
        chunks = []
        deadline = time.monotonic() + self.timeout
        poll = select.poll()
        poll.register(self._pipe, select.POLLIN)
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not poll.poll(left * 1000):
                    logger.warning("The charts drawn ahead took over %s s: drawn in the render", self.timeout)
                    return None
                chunk = os.read(self._pipe, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
            status = self._finish(kill=False)
            # What the child wrote decides, not its exit status (a pool that reaps its children
            # itself may have taken the status first): a child cut short leaves a broken pickle.
            try:
                pid, charts, error = pickle.loads(b"".join(chunks))
            except Exception:
                logger.warning("The charts drawn ahead were lost (exit %s): drawn in the render", status)
                return None
            if error is not None:
                logger.warning("The charts drawn ahead failed: drawn in the render\n%s", error)
                return None
            return pid, charts
        finally:
            self._finish(kill=True)

    def _finish(self, *, kill: bool) -> int | None:
        """Reap the child (killed first if ``kill``) and close the pipe; its exit status."""
        status = None
        if self.pid is not None:
            if kill:
                with contextlib.suppress(ProcessLookupError):  # it has exited and been reaped
                    os.kill(self.pid, signal.SIGKILL)
            # A pool that reaps its own children may have taken the status first: unknown (None).
            with contextlib.suppress(ChildProcessError):
                status = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            self.pid = None
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        return status


def warm_up() -> None:
    """Draw one small chart, for matplotlib to load the charts' fonts and its drawing machinery
    once (``reports.documents.warm_up``, when a worker starts)."""
    with matplotlib.rc_context(RC):
        _save(_stacked_bars([("-", [1.0])], ["-"], "-", "-"), "svg")


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make the element ids of one chart unique in a document holding several charts."""
    svg = re.sub(r'\bid="', f'id="{prefix}-', svg)
    svg = re.sub(r'href="#', f'href="#{prefix}-', svg)
    return re.sub(r"url\(#", f"url(#{prefix}-", svg)
