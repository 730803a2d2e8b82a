"""Backup and restore: the whole database and the uploaded files in one archive.

The archive (tar.gz) holds, in this order:

- ``data.jsonl``: every row of every model (history tables included) as JSON Lines, each row with
  its primary key; content types and permissions, which ``migrate`` rebuilds with other ids on the
  target, are referred to by natural key;
- ``media/…``: every file of the default file storage (``STORAGES["default"]``: MEDIA_ROOT on
  disk, or an S3-compatible bucket), read through the storage API; a FileField with a storage of
  its own has its files under ``files/<app.model.field>/…`` (none today: uploads and rendered
  reports all use the default storage);
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
there, and the archive's rows replace them; and it refuses a file storage that holds another file
under a name of the archive. Files are written back through the storage API under their exact
names, inside the rows' transaction once the rows, the row counts and every report version's
checksum have been checked: if anything fails, the files already written are deleted again.
"""

import datetime
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

logger = logging.getLogger(__name__)

FORMAT = 2
DATA = "data.jsonl"
MANIFEST = "manifest.json"
MEDIA = "media/"
FILES = "files/"  # files of a FileField with a storage of its own: files/<app.model.field>/<name>
# Rebuilt by migrate on the target, or session state not worth keeping.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
# Rows a data migration loads into every new database (cases/migrations/0003_load_compliance_
# mechanisms): a new database holds them once migrated; a restore replaces them with the archive's.
REFERENCE_DATA = {"cases.compliancemechanism"}
CHUNK = 2000  # rows read per query when backing up
BATCH = 1000  # rows inserted per statement (fewer where the backend limits parameters)
STAGING_PREFIX = ".restore-"  # folders the former restore staged files in: never backed up
SPOOL = 8 << 20  # a restored file is held in memory up to this size, then in a temporary file


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


def file_storages() -> dict[str, Storage]:
    """Archive prefix → file storage: ``media/`` for the default storage (every file in it, as
    uploads land there), and ``files/<app.model.field>/`` for each FileField whose storage is
    another one."""
    found = {MEDIA: default_storage}
    for model in backed_up_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and not any(
                _same_storage(field.storage, storage) for storage in found.values()
            ):
                found[f"{FILES}{model._meta.label_lower}.{field.name}/"] = field.storage
    return found


def _same_storage(one: Storage, other: Storage) -> bool:
    return one is other or one.deconstruct() == other.deconstruct()


def file_member(field: models.FileField, name: str) -> str:
    """The archive member holding the file ``name`` of ``field``."""
    for prefix, storage in file_storages().items():
        if _same_storage(field.storage, storage):
            return prefix + name
    raise LookupError(field)


# --- Backup ---------------------------------------------------------------------------------------


def backup_write(*, path: Path) -> dict:
    """Write the archive to ``path`` (through ``<path>.partial``, renamed when complete); returns
    the manifest."""
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
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
            for prefix, storage in file_storages().items():
                for name in _stored_files(storage):
                    with storage.open(name, "rb") as handle:
                        members[prefix + name] = _add_stream(archive, prefix + name, handle, handle.size)
            manifest = {
                "format": FORMAT,
                "created": timezone.now().isoformat(),
                "migrations": migrations,
                "row_counts": counts,
                "members": members,
                "reports_not_matching": [
                    pk for pk, member, sha256 in reports if members.get(member, {}).get("sha256") != sha256
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
    """(pk, archive member of its PDF, recorded SHA-256) of every rendered report version: the
    restore checks each PDF against the archive, whatever storage the PDFs live in."""
    from reports.models import ReportVersion

    prefix = file_member(ReportVersion._meta.get_field("pdf"), "")
    return [
        (pk, prefix + name, sha256)
        for pk, name, sha256 in ReportVersion.objects.values_list("pk", "pdf", "sha256")
    ]


def _stored_files(storage: Storage, folder: str = ""):
    """Every file name in ``storage`` (a ``listdir`` walk), in name order. On disk, symbolic links
    and the former restore's staging folders are left out."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # FileSystemStorage before its first upload: no MEDIA_ROOT yet
        return
    for name in sorted(files):
        name = f"{folder}/{name}" if folder else name
        if not _is_link(storage, name):
            yield name
    for name in sorted(folders):
        path = f"{folder}/{name}" if folder else name
        if not (not folder and name.startswith(STAGING_PREFIX)) and not _is_link(storage, path):
            yield from _stored_files(storage, path)


def _is_link(storage: Storage, name: str) -> bool:
    # A symbolic link under MEDIA_ROOT could point anywhere on the machine: not an upload.
    try:
        return os.path.islink(storage.path(name))
    except NotImplementedError:  # object storage: no paths, no links
        return False


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
    if member.name not in (DATA, MANIFEST):
        _stored_as(member.name)


def _stored_as(member: str) -> tuple[Storage, str]:
    """The storage and the name a file member of the archive is restored to: ``media/NAME`` to
    the default storage, ``files/<app.model.field>/NAME`` to that field's storage."""
    if member.startswith(MEDIA):
        return default_storage, member.removeprefix(MEDIA)
    if member.startswith(FILES):
        where, _, name = member.removeprefix(FILES).partition("/")
        label, _, field_name = where.rpartition(".")
        try:
            field = apps.get_model(label)._meta.get_field(field_name)
        except (LookupError, ValueError):
            field = None
        if isinstance(field, models.FileField) and name:
            return field.storage, name
    raise RestoreError(f"unexpected member in the archive: {member}")


def _known_migrations() -> set[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set()
    for (app, name), migration in loader.disk_migrations.items():
        known.add(f"{app}.{name}")
        known.update(f"{a}.{n}" for a, n in migration.replaces or ())
    return known


def backup_restore(*, path: Path, manifest: dict | None = None) -> dict:
    """Restore the archive into this new, migrated database and its file storage. ``manifest``
    is ``archive_verify``'s answer when the caller has already checked the archive; the members
    are checked again while they are read. Returns the rows, files and report checksums restored."""
    path = Path(path)
    if manifest is None:
        manifest = archive_verify(path=path)
    present = _check_target(manifest)
    written: list[tuple[Storage, str]] = []
    try:
        try:
            with transaction.atomic():
                _clear_reference_data()
                files = _read_members(path, manifest, present, written)
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
                f"the archive could not be read, or its files written ({error}); nothing was written"
            ) from error
    except BaseException:
        # The rows were rolled back: take the files back too (never one that was there before).
        for storage, name in written:
            storage.delete(name)
        raise
    return {
        "manifest": manifest,
        "rows": sum(manifest["row_counts"].values()),
        "files": files,
        "reports_verified": reports,
    }


def _check_target(manifest: dict) -> set[str]:
    """Refuse a database that is not migrated or holds data, and a file storage that holds
    another file under a name of the archive; returns the members already stored as they are
    (same bytes), which the restore leaves alone."""
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
    clashes, present = [], set()
    for member, expected in manifest["members"].items():
        if member == DATA:
            continue
        storage, name = _stored_as(member)
        if storage.exists(name):
            if _stored_sha256(storage, name) != expected["sha256"]:
                clashes.append(name)
            else:
                present.add(member)
    if clashes:
        raise RestoreError(
            f"the file storage ({_describe(default_storage)}) already holds other files under the same "
            f"names ({clashes[:5]}); restore into an empty one; nothing was written"
        )
    return present


def _describe(storage: Storage) -> str:
    try:
        return storage.path("")
    except NotImplementedError:
        return f"{type(storage).__name__} {getattr(storage, 'bucket_name', '')}".strip()


def _clear_reference_data() -> None:
    # Plain DELETE: no signals (a delete signal would write history rows), and nothing can point at
    # these rows in a database that holds no other data.
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        for model in backed_up_models():
            if model._meta.label_lower in REFERENCE_DATA:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def _read_members(path: Path, manifest: dict, present: set[str], written: list) -> int:
    """Load the rows and write the files back through their storage, under their exact names,
    checking every member's checksum again as it is read (the archive may have changed since it
    was verified): a file is spooled and checked before it is written. ``written`` receives each
    (storage, name) written, for the caller to delete if the restore fails. Returns the number of
    files in the archive."""
    files = 0
    with tarfile.open(path, "r|gz") as archive:
        for member in archive:
            _check_member(member)
            if member.name == MANIFEST:
                continue
            reader = _Hashing(archive.extractfile(member))
            expected = manifest["members"].get(member.name)
            if member.name == DATA:
                _load_rows(reader)
                _check_read(member.name, reader, expected)
                continue
            files += 1
            with tempfile.SpooledTemporaryFile(SPOOL) as spool:
                shutil.copyfileobj(reader, spool, 1 << 20)
                _check_read(member.name, reader, expected)
                if member.name in present:
                    continue
                storage, name = _stored_as(member.name)
                if storage.exists(name):  # written meanwhile, by someone else
                    raise RestoreError(
                        f"{name} appeared in the file storage during the restore; nothing was written"
                    )
                spool.seek(0)
                saved = storage.save(name, File(spool, name=name))
                written.append((storage, saved))
                if saved != name:
                    raise RestoreError(f"the file storage renamed {name} to {saved}; nothing was written")
    return files


def _check_read(name: str, reader: "_Hashing", expected: dict | None) -> None:
    if expected != {"size": reader.size, "sha256": reader.sha256.hexdigest()}:
        raise RestoreError(f"{name} changed since the archive was checked; nothing was written")


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
    for pk, member, sha256 in _report_checksums():
        if pk in known_bad:
            continue
        if manifest["members"].get(member, {}).get("sha256") != sha256:
            wrong.append(pk)
        checked += 1
    if wrong:
        raise RestoreError(
            f"report versions whose PDF does not match its checksum: {wrong[:10]}; nothing was written"
        )
    return checked


def _stored_sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _first(mapping: dict, n: int = 10) -> dict:
    return dict(list(mapping.items())[:n])


# --- Scheduled backups ----------------------------------------------------------------------------

SCHEDULED_NAME = re.compile(r"^cap-portal-\d{8}-\d{6}\.tar\.gz$")


def archive_name(moment: datetime.datetime) -> str:
    """The dated name of an archive, as ``backup_portal`` and the scheduled backup give it."""
    return f"cap-portal-{moment:%Y%m%d-%H%M%S}.tar.gz"


def backup_scheduled(*, now: datetime.datetime | None = None) -> dict:
    """The scheduled backup (``cap_portal.tasks.scheduled_backup``, when BACKUP_SCHEDULE_ENABLED):
    a dated archive written into BACKUP_DIR by :func:`backup_write`, then only the last
    BACKUP_KEEP archives of that name pattern kept (no other file is ever deleted). The outcome
    goes to the case managers' notification log; a failure is e-mailed to them as well. Returns
    the outcome: ``{"path", "size", "rows", "files", "removed"}`` or ``{"error"}``."""
    folder = Path(settings.BACKUP_DIR)
    path = folder / archive_name(now or timezone.now())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        manifest = backup_write(path=path)
        removed = _prune_archives(folder, keep=max(1, settings.BACKUP_KEEP))
    except Exception as error:
        logger.exception("Scheduled backup to %s failed", path)
        outcome = {"path": str(path), "error": f"{type(error).__name__}: {error}"}
        _notify_case_managers(outcome, failed=True)
        return outcome
    outcome = {
        "path": str(path),
        "size": path.stat().st_size,
        "rows": sum(manifest["row_counts"].values()),
        "files": sum(1 for name in manifest["members"] if name != DATA),
        "removed": [p.name for p in removed],
    }
    _notify_case_managers(outcome, failed=False)
    return outcome


def _prune_archives(folder: Path, *, keep: int) -> list[Path]:
    # Dated names sort in time order; anything else in the folder is not ours to delete.
    archives = sorted(p for p in folder.iterdir() if p.is_file() and SCHEDULED_NAME.match(p.name))
    removed = archives[:-keep]
    for archive in removed:
        archive.unlink()
    return removed


def _notify_case_managers(outcome: dict, *, failed: bool) -> None:
    """Log the outcome for every active case manager (no Party: the Secretariat alone sees it);
    on failure, e-mail it too. A failure to log does not stop the e-mail."""
    from django.core.mail import send_mail
    from django.utils import translation

    from cap_portal.access import CASE_MANAGER_ROLES, users_holding
    from cap_portal.history import acting_user
    from portfolio.models import Notification, NotificationKind, UserPreference

    recipients = list(users_holding(CASE_MANAGER_ROLES).filter(is_active=True).order_by("pk"))
    languages = dict(
        UserPreference.objects.filter(user__in=recipients)
        .exclude(language="")
        .values_list("user_id", "language")
    )
    moment = timezone.now()
    for user in recipients:
        language = languages.get(user.pk, settings.LANGUAGE_CODE)
        with translation.override(language if language in dict(settings.LANGUAGES) else None):
            subject, body = _outcome_message(outcome, failed=failed)
        email = user.email if failed else ""
        try:
            with transaction.atomic(), acting_user(None):
                Notification.objects.create(
                    recipient=user,
                    party=None,
                    kind=NotificationKind.BACKUP_FAILED if failed else NotificationKind.BACKUP_DONE,
                    subject=subject[:255],
                    body=body,
                    sent_at=moment,
                    email=email,
                    key=f"backup:{Path(outcome['path']).name}:{'failed' if failed else 'done'}",
                )
        except DatabaseError:  # the database may be why the backup failed: the e-mail still goes
            logger.exception("Could not log the scheduled backup's outcome for %s", user)
        if email:
            try:
                send_mail(subject, body, None, [email])
            except Exception:  # the mail server down too: the log above and the worker's log keep it
                logger.exception("Could not e-mail the scheduled backup's failure to %s", email)


def _outcome_message(outcome: dict, *, failed: bool) -> tuple[str, str]:
    from django.template.defaultfilters import filesizeformat
    from django.utils.translation import gettext as _

    values = {"file": outcome["path"]}
    if failed:
        subject = _("Scheduled backup failed")
        lines = [
            _("The scheduled backup to %(file)s failed:") % values,
            outcome["error"],
            _("No new archive was written; the previous archives are kept. See docs/operations.md."),
        ]
    else:
        values.update(size=filesizeformat(outcome["size"]), rows=outcome["rows"], files=outcome["files"])
        subject = _("Backup written: %(rows)s rows, %(files)s files") % values
        lines = [
            _("The scheduled backup wrote %(file)s (%(size)s): %(rows)s rows, %(files)s files.") % values
        ]
        if outcome["removed"]:
            lines.append(_("Older archives removed: %(names)s.") % {"names": ", ".join(outcome["removed"])})
    return subject, "\n\n".join(str(line) for line in lines)
