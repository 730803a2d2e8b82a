"""Run every benchmark of issue 9 on the generated portfolio and write bench/results/latest.json
(and latest.md). Each script also runs alone (see its docstring).

    uv run python manage.py generate_portfolio --scale 100 --seed 1     # with DATABASE_URL set
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cap_bench uv run python bench/run.py

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


def write_markdown() -> Path:
    data = json.loads(common.RESULTS.read_text())
    lines = ["# Benchmark results (bench/run.py)", "", f"Machine: {data.get('machine')}", ""]
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
            bench_load.main(seconds=5 if quick else 15)
        elif name == "dashboard":
            bench_dashboard.main(repeat=2 if quick else 5)
        elif name == "report":
            bench_report.main([8, 185] if quick else [8, 50, 185])
        elif name == "concurrent":
            bench_concurrent.main(idle_requests=30 if quick else 100)
        elif name == "backup":
            bench_backup.main()  # backs up DATABASE_URL's portfolio, restores into a database of its own
    print(f"Results: {common.RESULTS} and {write_markdown()}")


if __name__ == "__main__":
    main()
