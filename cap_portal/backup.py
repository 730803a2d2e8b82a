"""Backup and restore: the whole database and the uploaded files in one archive.

The archive (tar.gz) holds ``data.json`` (``dumpdata`` with natural keys: every model, history
tables included), ``media/`` (everything under MEDIA_ROOT) and ``manifest.json`` (when, the
applied migrations and the row count of every model). Restoring requires an empty, migrated
database and checks the row counts against the manifest.
"""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

# Rebuilt by migrate on the target, or session state not worth keeping.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


class RestoreError(Exception):
    """The archive cannot be restored here (database not empty, counts differ, unsafe path)."""


def row_counts() -> dict[str, int]:
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in EXCLUDED or model._meta.proxy:
            continue
        counts[label] = model._default_manager.count()
    return counts


def backup_write(*, path: Path) -> dict:
    """Write the archive to ``path``; returns the manifest."""
    manifest = {
        "created": timezone.now().isoformat(),
        "migrations": sorted(
            f"{a}.{n}" for a, n in MigrationRecorder.Migration.objects.values_list("app", "name")
        ),
        "row_counts": row_counts(),
    }
    buffer = io.StringIO()
    call_command(
        "dumpdata", natural_foreign=True, natural_primary=True, exclude=EXCLUDED, stdout=buffer, verbosity=0
    )
    data = buffer.getvalue().encode()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(path, "w:gz") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        _add_bytes(archive, "data.json", data)
        if media_root.exists():
            for file in sorted(media_root.rglob("*")):
                if file.is_file():
                    archive.add(file, arcname=f"media/{file.relative_to(media_root)}")
    return manifest


def backup_restore(*, path: Path) -> dict:
    """Load the archive into this (empty, migrated) database and MEDIA_ROOT; returns the manifest."""
    with tarfile.open(path, "r:gz") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        data = archive.extractfile("data.json").read()
        non_empty = {label: n for label, n in row_counts().items() if n}
        if non_empty:
            raise RestoreError(f"the database is not empty: {non_empty}")
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "data.json"
            fixture.write_bytes(data)
            with transaction.atomic():
                call_command("loaddata", str(fixture), verbosity=0)
                restored = row_counts()
                expected = manifest["row_counts"]
                wrong = {
                    k: (expected.get(k, 0), restored.get(k, 0))
                    for k in set(expected) | set(restored)
                    if expected.get(k, 0) != restored.get(k, 0)
                }
                if wrong:
                    raise RestoreError(f"row counts differ after restore (expected, found): {wrong}")
        media_root = Path(settings.MEDIA_ROOT)
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("media/"):
                target = (media_root / member.name.removeprefix("media/")).resolve()
                if not str(target).startswith(str(media_root.resolve())):
                    raise RestoreError(f"unsafe path in archive: {member.name}")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.extractfile(member).read())
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(payload))
