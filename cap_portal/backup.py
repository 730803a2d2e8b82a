"""Backup and restore: the whole database and the uploaded files in one archive.

The archive (tar.gz) holds, in this order:

- ``data.jsonl``: every row of every model (history tables included) as JSON Lines, each row with
  its primary key; content types and permissions, which ``migrate`` rebuilds with other ids on the
  target, are referred to by natural key;
- ``media/…``: every file under MEDIA_ROOT;
- ``manifest.json``, last: the format, when, the applied migrations, the row count of every model,
  the size and SHA-256 of every other member, and the report versions whose PDF did not match its
  recorded checksum when the backup was made (none, normally).

Both directions stream, so memory stays flat whatever the portfolio's size: rows are read in
chunks (one consistent snapshot) into a temporary file, then into the archive; a restore reads the
rows line by line and inserts them in batches, inside one transaction.

A restore (``restore_portal``) first reads the whole archive and refuses it, with nothing written,
if it is truncated or altered (a member missing, added or with another checksum) or made by a
newer schema (migrations this code does not know). It then refuses a database that holds data:
only the reference rows a data migration loads into every new database (``REFERENCE_DATA``) may be
there, and the archive's rows replace them. Files are staged in ``MEDIA_ROOT/.restore-…`` and moved
into place once the rows, the row counts and every report version's checksum have been checked and
committed.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 2
DATA = "data.jsonl"
MANIFEST = "manifest.json"
MEDIA = "media/"
# Rebuilt by migrate on the target, or session state not worth keeping.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
# Rows a data migration loads into every new database (cases/migrations/0003_load_compliance_
# mechanisms): a new database holds them once migrated; a restore replaces them with the archive's.
REFERENCE_DATA = {"cases.compliancemechanism"}
CHUNK = 2000  # rows read per query when backing up
BATCH = 1000  # rows inserted per statement (fewer where the backend limits parameters)
STAGING_PREFIX = ".restore-"


class RestoreError(Exception):
    """The archive cannot be restored here (damaged, newer schema, database not empty, counts
    differ, unsafe path); nothing was written."""


def backed_up_models() -> list:
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.app_label not in excluded_apps
        and model._meta.label_lower not in EXCLUDED
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in backed_up_models()}


# --- Backup ---------------------------------------------------------------------------------------


def backup_write(*, path: Path) -> dict:
    """Write the archive to ``path`` (through ``<path>.partial``, renamed when complete); returns
    the manifest."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    media_root = Path(settings.MEDIA_ROOT)
    members = {}
    try:
        with (
            tempfile.TemporaryFile(dir=path.parent) as data,
            tarfile.open(partial, "w:gz", compresslevel=6) as archive,
        ):
            with _snapshot():
                migrations = sorted(
                    f"{a}.{n}" for a, n in MigrationRecorder.Migration.objects.values_list("app", "name")
                )
                counts = row_counts()
                reports = _report_checksums()
                _dump_rows(data)
            size = data.tell()
            data.seek(0)
            members[DATA] = _add_stream(archive, DATA, data, size)
            for file in _media_files(media_root):
                name = MEDIA + file.relative_to(media_root).as_posix()
                with file.open("rb") as handle:
                    members[name] = _add_stream(archive, name, handle, os.fstat(handle.fileno()).st_size)
            manifest = {
                "format": FORMAT,
                "created": timezone.now().isoformat(),
                "migrations": migrations,
                "row_counts": counts,
                "members": members,
                "reports_not_matching": [
                    pk
                    for pk, name, sha256 in reports
                    if members.get(MEDIA + name, {}).get("sha256") != sha256
                ],
            }
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Dates and times to the microsecond (DjangoJSONEncoder, and so dumpdata, keeps milliseconds)."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(jsonl.Serializer):
    """JSON Lines with every row's primary key; only content types and permissions, rebuilt by
    migrate with other ids, are referred to by natural key."""

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model in _natural_key_models()
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = field.related_model in _natural_key_models()
        super().handle_m2m_field(obj, field)


def _natural_key_models() -> set:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return {ContentType, Permission}


def _dump_rows(data) -> None:
    stream = _Utf8Writer(data)
    natural = _natural_key_models()
    for model in backed_up_models():
        meta = model._meta
        rows = model._base_manager.order_by("pk")
        to_natural = [f.name for f in meta.concrete_fields if f.is_relation and f.related_model in natural]
        if to_natural:
            rows = rows.select_related(*to_natural)
        many = [f.name for f in meta.local_many_to_many if f.remote_field.through._meta.auto_created]
        if many:
            rows = rows.prefetch_related(*many)
        _RowSerializer().serialize(rows.iterator(chunk_size=CHUNK), stream=stream, cls=_ExactJSONEncoder)


class _Utf8Writer:
    """The text stream the serializer writes to, encoding into the binary temporary file."""

    def __init__(self, raw):
        self.raw = raw

    def write(self, text: str) -> None:
        self.raw.write(text.encode())


@contextmanager
def _snapshot():
    """One transaction for the whole read; on PostgreSQL a repeatable-read, read-only one, so the
    rows and the counts are one consistent snapshot while the portal keeps working."""
    connection = connections[DEFAULT_DB_ALIAS]
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _report_checksums() -> list[tuple[int, str, str]]:
    # Rendered reports keep their PDF's SHA-256: the restore checks each against the archive.
    from reports.models import ReportVersion

    return list(ReportVersion.objects.values_list("pk", "pdf", "sha256"))


def _media_files(media_root: Path):
    if not media_root.is_dir():
        return
    for file in sorted(media_root.rglob("*")):
        relative = file.relative_to(media_root)
        if relative.parts[0].startswith(STAGING_PREFIX) or file.is_symlink() or not file.is_file():
            continue
        yield file


class _Hashing:
    """A binary file object that hashes what is read through it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1) -> bytes:
        chunk = self.raw.read(size)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


def _add_stream(archive: tarfile.TarFile, name: str, handle, size: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o644
    reader = _Hashing(handle)
    archive.addfile(info, reader)
    return {"size": size, "sha256": reader.sha256.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, payload: bytes) -> None:
    _add_stream(archive, name, io.BytesIO(payload), len(payload))


# --- Restore --------------------------------------------------------------------------------------


def archive_verify(*, path: Path) -> dict:
    """Read the whole archive and check it against its manifest; returns the manifest. Touches
    neither the database nor MEDIA_ROOT."""
    path = Path(path)
    found, manifest_bytes = {}, None
    try:
        with tarfile.open(path, "r|gz") as archive:
            for member in archive:
                _check_member(member)
                if member.name in found or (member.name == MANIFEST and manifest_bytes is not None):
                    raise RestoreError(f"the archive holds {member.name} twice")
                handle = archive.extractfile(member)
                if member.name == MANIFEST:
                    manifest_bytes = handle.read()
                    continue
                reader = _Hashing(handle)
                while reader.read(1 << 20):
                    pass
                found[member.name] = {"size": reader.size, "sha256": reader.sha256.hexdigest()}
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise RestoreError(f"the archive is truncated or damaged ({error}); nothing was written") from error
    if manifest_bytes is None:
        raise RestoreError("the archive has no manifest: it is truncated, or was not made by backup_portal")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise RestoreError(f"the archive's manifest is damaged ({error})") from error
    if manifest.get("format") != FORMAT:
        raise RestoreError(
            f"the archive is in format {manifest.get('format', 1)}, this version restores format {FORMAT}"
        )
    expected = manifest["members"]
    missing = sorted(set(expected) - set(found))
    added = sorted(set(found) - set(expected))
    altered = sorted(name for name in set(expected) & set(found) if expected[name] != found[name])
    if missing or added or altered:
        raise RestoreError(
            "the archive does not match its manifest, it was altered or damaged "
            f"(missing: {missing[:5]}, not in the manifest: {added[:5]}, other checksum: {altered[:5]}); "
            "nothing was written"
        )
    unknown = sorted(set(manifest["migrations"]) - _known_migrations())
    if unknown:
        raise RestoreError(
            "the archive was made by a newer version of the portal "
            f"(migrations unknown here: {unknown[:5]}); restore it with that version or a later one; "
            "nothing was written"
        )
    return manifest


def _check_member(member: tarfile.TarInfo) -> None:
    name = PurePosixPath(member.name)
    safe = not name.is_absolute() and ".." not in name.parts and "" not in name.parts
    if not member.isfile() or not safe:
        raise RestoreError(f"unsafe or unexpected member in the archive: {member.name}")
    if member.name not in (DATA, MANIFEST) and not member.name.startswith(MEDIA):
        raise RestoreError(f"unexpected member in the archive: {member.name}")


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set()
    for (app, name), migration in loader.disk_migrations.items():
        known.add(f"{app}.{name}")
        known.update(f"{a}.{n}" for a, n in migration.replaces or ())
    return known


def backup_restore(*, path: Path, manifest: dict | None = None) -> dict:
    """Restore the archive into this new, migrated database and MEDIA_ROOT. ``manifest`` is
    ``archive_verify``'s answer when the caller has already checked the archive; the members are
    checked again while they are read. Returns the rows, files and report checksums restored."""
    path = Path(path)
    if manifest is None:
        manifest = archive_verify(path=path)
    media_root = Path(settings.MEDIA_ROOT)
    _check_target(manifest, media_root)
    staging = media_root / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
    try:
        try:
            with transaction.atomic():
                _clear_reference_data()
                staged = _read_members(path, manifest, staging)
                _reset_sequences()
                _check_counts(manifest)
                reports = _check_reports(manifest)
        except (DatabaseError, DeserializationError) as error:
            older = sorted(_known_migrations() - set(manifest["migrations"]))
            hint = (
                f" (the archive was made by an older schema: {len(older)} migrations since)" if older else ""
            )
            raise RestoreError(
                f"the archive's rows could not be loaded{hint}: {error}; nothing was written"
            ) from error
        except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
            raise RestoreError(
                f"the archive could not be read, or its files staged ({error}); nothing was written"
            ) from error
        for file in staged:
            target = media_root / file.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(file, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {
        "manifest": manifest,
        "rows": sum(manifest["row_counts"].values()),
        "files": len(staged),
        "reports_verified": reports,
    }


def _check_target(manifest: dict, media_root: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RestoreError("the database is not migrated: run migrate first; nothing was written")
    holding = {label: n for label, n in row_counts().items() if n and label not in REFERENCE_DATA}
    if holding:
        raise RestoreError(
            f"the database holds data ({_first(holding)}): restore only into a new database; "
            "nothing was written"
        )
    clashes = []
    for name, member in manifest["members"].items():
        if name.startswith(MEDIA):
            existing = media_root / name.removeprefix(MEDIA)
            if existing.exists() and _file_sha256(existing) != member["sha256"]:
                clashes.append(name.removeprefix(MEDIA))
    if clashes:
        raise RestoreError(
            f"MEDIA_ROOT ({media_root}) already holds other files under the same names ({clashes[:5]}); "
            "restore into an empty MEDIA_ROOT; nothing was written"
        )


def _clear_reference_data() -> None:
    # Plain DELETE: no signals (a delete signal would write history rows), and nothing can point at
    # these rows in a database that holds no other data.
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        for model in backed_up_models():
            if model._meta.label_lower in REFERENCE_DATA:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _read_members(path: Path, manifest: dict, staging: Path) -> list[Path]:
    """Load the rows and stage the files, checking every member's checksum again as it is read
    (the archive may have changed since it was verified)."""
    staged = []
    with tarfile.open(path, "r|gz") as archive:
        for member in archive:
            _check_member(member)
            if member.name == MANIFEST:
                continue
            reader = _Hashing(archive.extractfile(member))
            if member.name == DATA:
                _load_rows(reader)
            else:
                target = staging / member.name.removeprefix(MEDIA)
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as out:
                    shutil.copyfileobj(reader, out, 1 << 20)
                staged.append(target)
            expected = manifest["members"].get(member.name)
            if expected != {"size": reader.size, "sha256": reader.sha256.hexdigest()}:
                raise RestoreError(
                    f"{member.name} changed since the archive was checked; nothing was written"
                )
    return staged


def _load_rows(reader: "_Hashing") -> None:
    connection = connections[DEFAULT_DB_ALIAS]

    def lines():
        while line := _readline(reader):
            yield line

    batch = []
    for item in serializers.deserialize("jsonl", lines()):
        if batch and (type(item.object) is not type(batch[0].object) or len(batch) >= BATCH):
            _insert(connection, batch)
            batch = []
        batch.append(item)
    if batch:
        _insert(connection, batch)


def _readline(reader: "_Hashing") -> bytes:
    # tarfile's member file reads lines itself; hash the bytes it hands out.
    line = reader.raw.readline()
    reader.sha256.update(line)
    reader.size += len(line)
    return line


def _insert(connection, batch: list) -> None:
    """Insert the rows as they were (``raw``: primary keys and auto_now dates kept, no save()
    and no signals), as loaddata does one by one, then the many-to-many links."""
    model = type(batch[0].object)
    fields = model._meta.local_concrete_fields
    objects = [item.object for item in batch]
    if any(obj.pk is None for obj in objects):
        raise RestoreError(f"a {model._meta.label} row of the archive has no primary key")
    size = max(1, connection.ops.bulk_batch_size(fields, objects))
    for start in range(0, len(objects), size):
        model._base_manager.using(connection.alias)._insert(
            objects[start : start + size], fields=fields, raw=True
        )
    links = {}
    for item in batch:
        for name, values in (item.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links.setdefault(through, []).extend(
                through(**{source: item.object.pk, target: value}) for value in values
            )
    for through, rows in links.items():
        through._base_manager.using(connection.alias).bulk_create(rows, batch_size=BATCH)


def _reset_sequences() -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _check_counts(manifest: dict) -> None:
    restored, expected = row_counts(), manifest["row_counts"]
    wrong = {
        label: (expected.get(label, 0), restored.get(label, 0))
        for label in sorted(set(expected) | set(restored))
        if expected.get(label, 0) != restored.get(label, 0)
    }
    if wrong:
        raise RestoreError(
            f"row counts differ after restore (expected, found): {_first(wrong)}; nothing was written"
        )


def _check_reports(manifest: dict) -> int:
    """Every rendered report's recorded checksum against its PDF in the archive (already checked
    against the manifest); returns how many were checked."""
    known_bad = set(manifest.get("reports_not_matching", []))
    checked, wrong = 0, []
    for pk, name, sha256 in _report_checksums():
        if pk in known_bad:
            continue
        if manifest["members"].get(MEDIA + name, {}).get("sha256") != sha256:
            wrong.append(pk)
        checked += 1
    if wrong:
        raise RestoreError(
            f"report versions whose PDF does not match its checksum: {wrong[:10]}; nothing was written"
        )
    return checked


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _first(mapping: dict, n: int = 10) -> dict:
    return dict(list(mapping.items())[:n])
