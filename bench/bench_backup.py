"""Backup and restore of a generated portfolio on PostgreSQL: seconds and peak memory (maxrss of
the child process, read with ``os.wait4``) of ``backup_portal`` and ``restore_portal``, each a
fresh ``manage.py`` process (beside ``manage.py check``, what a command costs before it does
anything), and of ``pg_dump -Fc``/``pg_restore`` (scripts/pg_backup.sh's tools)
beside them; the archive's size; the row counts of the restored database against the source's.

    # a portfolio of its own, made with generate_portfolio --scale N --seed 1 (repeat --scale to
    # see memory stay flat as the portfolio grows):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/bench_backup.py --scale 1 10
    # the generated portfolio of DATABASE_URL (README "Benchmarks"; bench/run.py --only backup):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cap_bench uv run python bench/bench_backup.py

Databases are made on the server of DATABASE_URL, named cap_bench_backup_<pid>_<what>, and dropped
at the end; the database of DATABASE_URL is only read. Results: bench/results/latest.json
("backup", one entry per scale).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

ROW_COUNTS = "import json; from cap_portal.backup import row_counts; print(json.dumps(row_counts()))"


def server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (its server is used; the database only read).")
    return url.split("?")[0].rsplit("/", 1)[0]


def run(command: list[str], env: dict | None = None) -> dict:
    """Run ``command`` to completion; its seconds and output."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=common.ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stdout[-2000:]}\n{stderr[-3000:]}")
    return {"seconds": round(seconds, 1), "stdout": stdout}


def measured(command: list[str], env: dict | None = None) -> dict:
    """Like ``run``, with the child's own peak RSS in MiB (``os.wait4`` on its pid: RUSAGE_CHILDREN
    would give the largest child so far, not this one)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=common.ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{stdout[-2000:]}\n{stderr[-3000:]}")
    return {"seconds": round(seconds, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "stdout": stdout}


def django_env(url: str, media_root: Path) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "cap_portal.settings.local",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media_root),
        "REDIS_URL": "",
        "DEBUG": "false",
    }


def manage(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def psql(server: str, sql: str) -> None:
    quiet = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run(["psql", f"{server}/postgres", "-qAtc", sql], check=True, env=quiet)


def one_portfolio(server: str, source: str | None, scale: float | None, folder: Path) -> dict:
    """Back up ``source`` (or a portfolio generated at ``scale``), restore it with restore_portal
    and with pg_restore, measure each."""
    prefix = f"cap_bench_backup_{os.getpid()}"
    made = []

    def new_database(what: str) -> str:
        name = f"{prefix}_{what}"
        psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        psql(server, f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{server}/{name}"

    try:
        result: dict = {}
        media = folder / "media"
        if source is None:
            source = new_database("source")
            env = django_env(source, media)
            result["migrate_seconds"] = run(manage("migrate", "--no-input", "-v", "0"), env)["seconds"]
            generate = manage("generate_portfolio", "--scale", str(scale), "--seed", "1")
            result["generate_seconds"] = run(generate, env)["seconds"]
        env = django_env(source, media)
        # What any manage.py command with its system checks costs before it does anything.
        baseline = measured(manage("check"), env)
        result["manage_py_check"] = {"seconds": baseline["seconds"], "peak_rss_mib": baseline["peak_rss_mib"]}
        before = json.loads(run(manage("shell", "-c", ROW_COUNTS), env)["stdout"].strip().splitlines()[-1])
        result["rows"] = sum(before.values())

        archive = folder / "portfolio.tar.gz"
        backup = measured(manage("backup_portal", "--output", str(archive)), env)
        result["backup_portal"] = {
            "seconds": backup["seconds"],
            "peak_rss_mib": backup["peak_rss_mib"],
            "archive_mib": round(archive.stat().st_size / 2**20, 1),
        }

        target = new_database("restored")
        target_env = django_env(target, folder / "restored-media")
        # restore_portal migrates first; migrate apart, so the figure is the restore's own.
        result["migrate_new_database_seconds"] = run(manage("migrate", "--no-input", "-v", "0"), target_env)[
            "seconds"
        ]
        restore = measured(manage("restore_portal", str(archive)), target_env)
        result["restore_portal"] = {"seconds": restore["seconds"], "peak_rss_mib": restore["peak_rss_mib"]}
        after = json.loads(
            run(manage("shell", "-c", ROW_COUNTS), target_env)["stdout"].strip().splitlines()[-1]
        )
        if after != before:
            wrong = {
                k: (before.get(k), after.get(k))
                for k in set(before) | set(after)
                if before.get(k) != after.get(k)
            }
            raise RuntimeError(f"row counts differ after restore_portal: {wrong}")
        result["rows_match"] = True

        dump = folder / "portfolio.dump"
        pg_dump = measured(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source])
        pg_target = new_database("pg_restored")
        pg_restore = measured(
            ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", pg_target, str(dump)]
        )
        result["pg_dump"] = {
            "seconds": pg_dump["seconds"],
            "peak_rss_mib": pg_dump["peak_rss_mib"],
            "dump_mib": round(dump.stat().st_size / 2**20, 1),
        }
        result["pg_restore"] = {"seconds": pg_restore["seconds"], "peak_rss_mib": pg_restore["peak_rss_mib"]}
        return result
    finally:
        for name in made:
            psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(scales: list[float] | None = None) -> dict:
    server = server_url()
    results = {}
    for scale in scales or [None]:
        with tempfile.TemporaryDirectory(prefix="cap-bench-backup-") as folder:
            source = None if scale is not None else os.environ["DATABASE_URL"]
            row = one_portfolio(server, source, scale, Path(folder))
        key = f"scale {scale:g}" if scale is not None else "DATABASE_URL"
        results[key] = row
        b, r, check = row["backup_portal"], row["restore_portal"], row["manage_py_check"]
        print(
            f"backup, {key}, {row['rows']} rows: backup_portal {b['seconds']} s, "
            f"peak {b['peak_rss_mib']} MiB, "
            f"archive {b['archive_mib']} MiB; restore_portal {r['seconds']} s, peak {r['peak_rss_mib']} MiB "
            f"(+ migrate {row['migrate_new_database_seconds']} s); pg_dump {row['pg_dump']['seconds']} s "
            f"({row['pg_dump']['dump_mib']} MiB), pg_restore {row['pg_restore']['seconds']} s; "
            f"manage.py check alone {check['seconds']} s, {check['peak_rss_mib']} MiB",
            flush=True,
        )
    previous = {}
    if common.RESULTS.exists():
        previous = json.loads(common.RESULTS.read_text()).get("benchmarks", {}).get("backup", {})
    merged = {**previous, **results}
    merged.pop("at", None)
    common.save("backup", merged)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument(
        "--scale",
        type=float,
        nargs="+",
        help="generate a portfolio of its own at each scale (default: DATABASE_URL's)",
    )
    main(parser.parse_args().scale)
