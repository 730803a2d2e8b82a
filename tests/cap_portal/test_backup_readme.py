"""README's "Operations" procedure, as an operator runs it: ``backup_portal`` on a portal, then
``restore_portal ARCHIVE`` on a new database made for the test, each command a subprocess
(``manage.py`` with ``cap_portal.settings.local``, ``DATABASE_URL`` and ``MEDIA_ROOT`` of its own,
no Redis). The pytest-django test database is never involved.

SQLite: new database files. PostgreSQL: new databases created by the test on the server of the
suite's ``DATABASE_URL`` (skipped locally when that is SQLite, required in CI) and dropped after.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.cap_portal.backup_probe import UPLOAD, UPLOAD_BYTES
from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def manage(
    *args: str, database_url: str, media_root: Path, check: bool = True
) -> subprocess.CompletedProcess:
    """``python manage.py ARGS`` as README runs it, on the given database and MEDIA_ROOT."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cap_portal.settings.local",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "REDIS_URL": "",
        "REDIS_KEY_PREFIX": "",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def probe(function: str, *args: str, database_url: str, media_root: Path) -> None:
    call = f"from tests.cap_portal.backup_probe import {function}; {function}(*{list(args)!r})"
    manage("shell", "-c", call, database_url=database_url, media_root=media_root)


def snapshot(tmp_path: Path, name: str, database_url: str, media_root: Path) -> dict:
    path = tmp_path / f"{name}.json"
    probe("snapshot", str(path), database_url=database_url, media_root=media_root)
    return json.loads(path.read_text())


def readme_round_trip(tmp_path: Path, source_url: str, target_url: str) -> None:
    """A portal with the sample portfolio, an upload and a rendered report is backed up; the
    archive restores on a new database by README's one command with every row, file and report
    checksum back; restoring again onto that (no longer empty) database is refused and changes
    nothing."""
    source_media, target_media = tmp_path / "media-source", tmp_path / "media-target"
    source = {"database_url": source_url, "media_root": source_media}
    target = {"database_url": target_url, "media_root": target_media}
    manage("migrate", "--no-input", **source)
    probe("prepare", **source)
    before = snapshot(tmp_path, "source", **source)
    assert before["counts"]["parties.party"] == 185 and before["reports"], "the source has a portfolio"

    archive = tmp_path / "cap-portal.tar.gz"
    manage("backup_portal", "--output", str(archive), **source)
    restored = manage("restore_portal", str(archive), check=False, **target)
    assert restored.returncode == 0, f"restore into a new database refused:\n{restored.stderr}"

    after = snapshot(tmp_path, "target", **target)
    assert after["counts"] == before["counts"]
    changed = sorted(
        label for label in before["tables"] if before["tables"][label] != after["tables"].get(label)
    )
    assert not changed, f"rows differ after restore in {changed}"
    assert after["media"] == before["media"]
    assert (target_media / UPLOAD).read_bytes() == UPLOAD_BYTES
    assert after["reports"] == before["reports"]
    assert all(version["pdf_sha256"] == version["sha256"] for version in after["reports"])
    assert after["tg_authorities"] == 3

    again = manage("restore_portal", str(archive), check=False, **target)
    assert again.returncode != 0 and "holds data" in again.stderr, again.stderr
    assert snapshot(tmp_path, "target-again", **target) == after


def test_readme_restore_on_a_new_sqlite_database(tmp_path):
    """SQLite (the embedded default): backup, then restore_portal into a new database file."""
    readme_round_trip(
        tmp_path,
        source_url=f"sqlite:///{tmp_path / 'source.sqlite3'}",
        target_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
    )


def postgresql_server() -> dict:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        require_service("PostgreSQL", "DATABASE_URL does not point at PostgreSQL")
    return database


def postgresql_url(server: dict, name: str) -> str:
    credentials = server["USER"] + (f":{server['PASSWORD']}" if server.get("PASSWORD") else "")
    return f"postgres://{credentials}@{server['HOST'] or '127.0.0.1'}:{server['PORT'] or 5432}/{name}"


@pytest.fixture
def new_postgresql_databases():
    """A factory of new, empty PostgreSQL databases on the suite's server, dropped afterwards."""
    import psycopg

    server = postgresql_server()
    made = []

    def admin():
        return psycopg.connect(postgresql_url(server, "postgres"), autocommit=True)

    def make(purpose: str) -> str:
        name = f"cap_backup_{purpose}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with admin() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return postgresql_url(server, name)

    yield make
    with admin() as connection:
        for name in made:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_readme_restore_on_a_new_postgresql_database(tmp_path, new_postgresql_databases):
    """PostgreSQL: backup, then restore_portal into a database just created (CREATE DATABASE)."""
    readme_round_trip(
        tmp_path, source_url=new_postgresql_databases("source"), target_url=new_postgresql_databases("target")
    )
