"""Run every benchmark of issues 9 and 15 on the generated portfolio, write bench/results/latest.json
and latest.md, and print each figure next to its goal (met / missed). Each script also runs alone
(see its docstring); results of separate runs add up in latest.json, and the table shows them all
with the time each was measured.

    uv run python manage.py generate_portfolio --scale 100 --seed 1     # with DATABASE_URL set
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cap_bench uv run python bench/run.py

The dashboard's scale-1 comparison needs BENCH_SCALE1_DATABASE_URL (a scale-1 portfolio of its own).

Options: --quick (fewer repetitions, shorter load, reports for 8 and 185 Parties only),
--only api load dashboard report concurrent backup.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (  # noqa: E402
    bench_api,
    bench_backup,
    bench_concurrent,
    bench_dashboard,
    bench_load,
    bench_report,
    common,
)

ALL = ["api", "load", "dashboard", "report", "concurrent", "backup"]


def figures_of(name: str, result: dict) -> list[dict]:
    """A benchmark's figures against their goals: its ``figures`` (``common.figure``), or else
    every entry of its result that states a ``goal`` and whether it was ``met`` (with ``measured``,
    or ``ratio``, as the figure)."""
    if "figures" in result:
        return result["figures"]
    found: list[dict] = []

    def walk(label: str, value) -> None:
        if not isinstance(value, dict):
            return
        if "goal" in value and "met" in value:
            measured = value.get("measured", value.get("ratio"))
            found.append(
                common.figure(
                    f"{name} {label}".strip(),
                    measured,
                    str(value["goal"]),
                    value["met"],
                    value.get("spread"),
                    value.get("unit", "×" if "ratio" in value and "measured" not in value else ""),
                )
            )
            return
        for key, item in value.items():
            walk(f"{label} {key}".strip(), item)

    walk("", result)
    return found


def goals_table(data: dict) -> list[str]:
    """figure | measured (spread) | goal | met or missed | when, as Markdown table rows."""
    lines = ["| figure | measured (spread) | goal | | measured at |", "|---|---:|---|---|---|"]
    for name, result in data.get("benchmarks", {}).items():
        for entry in figures_of(name, result):
            unit = entry.get("unit") or ""
            unit = unit if unit in ("", "×") else f" {unit}"
            measured = f"{entry['measured']}{unit}" if entry["measured"] is not None else "—"
            if entry.get("spread"):
                low, high = entry["spread"]
                measured += f" ({low}–{high})"
            verdict = "met" if entry["met"] else "**missed**"
            at = entry.get("at") or result.get("at", "")
            lines.append(f"| {entry['name']} | {measured} | {entry['goal']}{unit} | {verdict} | {at} |")
    return lines


def write_markdown() -> Path:
    data = json.loads(common.RESULTS.read_text())
    lines = ["# Benchmark results (bench/run.py)", "", f"Machine: {data.get('machine')}", ""]
    lines += ["## Goals", "", *goals_table(data), ""]
    for name, result in data.get("benchmarks", {}).items():
        lines += [f"## {name}", "", "```json", json.dumps(result, indent=2, default=str), "```", ""]
    path = common.RESULTS.with_suffix(".md")
    path.write_text("\n".join(lines))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="+", choices=ALL, default=ALL)
    arguments = parser.parse_args()
    quick = arguments.quick
    if common.RESULTS.exists() and set(arguments.only) == set(ALL):
        common.RESULTS.unlink()
    for name in arguments.only:
        print(f"== {name}", flush=True)
        if name == "api":
            bench_api.main(repeat=10 if quick else 30)
        elif name == "load":
            bench_load.main(seconds=5 if quick else 15, rounds=3)
        elif name == "dashboard":
            bench_dashboard.main(repeat=2 if quick else 5, rounds=2 if quick else 3)
        elif name == "report":
            bench_report.main([8, 185] if quick else [8, 50, 185])
        elif name == "concurrent":
            bench_concurrent.main(idle_requests=30 if quick else 100)
        elif name == "backup":
            bench_backup.main()  # backs up DATABASE_URL's portfolio, restores into a database of its own
    markdown = write_markdown()
    print("\n".join(["", *goals_table(json.loads(common.RESULTS.read_text()))]))
    print(f"Results: {common.RESULTS} and {markdown}")


if __name__ == "__main__":
    main()
