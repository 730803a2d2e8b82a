"""Scheduled backups (issue 17, point 4) and backups of files kept in object storage (issue 21,
point 5).

Scheduled: off unless BACKUP_SCHEDULE_ENABLED; then Celery beat runs
``cap_portal.tasks.scheduled_backup`` at BACKUP_SCHEDULE_HOUR, which writes backup_portal's archive
under a dated name into BACKUP_DIR, keeps the last BACKUP_KEEP of them (never another file) and
logs the outcome for the case managers, without a Party, so the Secretariat alone sees it; a
failure is e-mailed to them as well.

Object storage: with the default storage on a real S3-compatible server (moto's), backup_portal
reads the uploads and the rendered reports through the storage API and restore_portal, on a new
database, writes them back under the same names into a new bucket, every report checksum checked.
"""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import uuid

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cap_portal.access import Action
from cap_portal.backup import SCHEDULED_NAME, archive_verify
from cap_portal.tasks import scheduled_backup
from portfolio.models import Notification, NotificationKind
from tests.cap_portal.test_backup_readme import ROOT, manage

UPLOAD = "deliverables/ndf.pdf"
UPLOAD_BYTES = b"%PDF-1.7 sample bytes"


def beat_schedule(**environment: str) -> dict:
    """The beat schedule Celery reads in a new process started with ``environment``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKUP_")}
    env.update(DJANGO_SETTINGS_MODULE="cap_portal.settings.local", **environment)
    code = (
        "import json, django; django.setup(); from cap_portal.celery import app; "
        "print(json.dumps({name: [entry['task'], sorted(getattr(entry['schedule'], 'hour', []))] "
        "for name, entry in app.conf.beat_schedule.items()}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_scheduled_backups_are_off_by_default():
    """Without BACKUP_SCHEDULE_ENABLED beat has no backup entry (the other entries are there)."""
    schedule = beat_schedule()
    assert "send-reminders" in schedule
    assert not any(task == "cap_portal.tasks.scheduled_backup" for task, _hour in schedule.values())


def test_enabled_scheduled_backups_run_at_the_configured_hour():
    """BACKUP_SCHEDULE_ENABLED=true adds the task to beat, daily at BACKUP_SCHEDULE_HOUR."""
    assert beat_schedule(BACKUP_SCHEDULE_ENABLED="true")["scheduled-backup"] == [
        "cap_portal.tasks.scheduled_backup",
        [2],
    ]
    assert beat_schedule(BACKUP_SCHEDULE_ENABLED="true", BACKUP_SCHEDULE_HOUR="23")["scheduled-backup"][
        1
    ] == [23]


def test_the_backup_task_is_acknowledged_on_receipt():
    """A backup may outlast the broker's visibility timeout: acknowledged late, its message would
    be handed to a second worker while the first still writes."""
    assert scheduled_backup.acks_late is False
    assert scheduled_backup.time_limit > scheduled_backup.soft_time_limit > 0


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save(UPLOAD, ContentFile(UPLOAD_BYTES))
    return settings.BACKUP_DIR


def test_the_task_writes_an_archive_that_restores(world, backup_dir, tmp_path):
    """The task writes one dated archive, which archive_verify accepts and README's restore_portal
    restores on a new database; the case managers' log says so, without a Party and by no e-mail."""
    outcome = scheduled_backup.delay().get()

    archives = sorted(backup_dir.iterdir())
    assert [p.name for p in archives] == [os.path.basename(outcome["path"])]
    assert SCHEDULED_NAME.match(archives[0].name)
    manifest = archive_verify(path=archives[0])
    assert manifest["row_counts"]["parties.party"] == 2
    assert f"media/{UPLOAD}" in manifest["members"]
    assert outcome["rows"] == sum(manifest["row_counts"].values()) and outcome["files"] == 1

    logged = Notification.objects.get()
    assert logged.kind == NotificationKind.BACKUP_DONE and logged.party is None
    assert logged.recipient == world.users["case_manager"] and logged.email == ""
    assert archives[0].name in logged.body
    assert mail.outbox == []

    target_media = tmp_path / "restored-media"
    restored = manage(
        "restore_portal",
        str(archives[0]),
        database_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        media_root=target_media,
    )
    assert f"Restored {outcome['rows']} rows and 1 files" in restored.stdout
    assert (target_media / UPLOAD).read_bytes() == UPLOAD_BYTES


def test_only_the_last_archives_are_kept(world, backup_dir, settings):
    """With BACKUP_KEEP=2, after four dated archives only the two newest remain; files of any
    other name in BACKUP_DIR are never deleted."""
    settings.BACKUP_KEEP = 2
    backup_dir.mkdir()
    foreign = ["notes.txt", "cap-portal-manual.tar.gz", "cap-portal-20200101-000000.tar.gz.partial"]
    for name in foreign:
        (backup_dir / name).write_text("not a scheduled archive")
    start = timezone.now() + datetime.timedelta(hours=1)  # roles hold from today on
    names = []
    for day in range(4):
        # Each run at another time, as beat runs it night after night.
        moment = start + datetime.timedelta(days=day, seconds=day)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda moment=moment: moment)
            names.append(os.path.basename(scheduled_backup.delay().get()["path"]))
    assert len(set(names)) == 4
    assert sorted(p.name for p in backup_dir.iterdir()) == sorted(foreign + names[-2:])
    for name in names[-2:]:
        archive_verify(path=backup_dir / name)
    last = Notification.objects.filter(key__contains=names[-1]).get()
    assert names[1] in last.body, "the log names the archives removed"


def test_a_failed_backup_is_logged_and_mailed(world, backup_dir, settings, tmp_path):
    """A BACKUP_DIR that cannot be written (here a path under a plain file) leaves no archive, a
    "failed" entry with the error in the case managers' log, and an e-mail to them; nobody else
    hears of it."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.BACKUP_DIR = blocker / "backups"
    case_manager = world.users["case_manager"]
    case_manager.email = "cm@example.org"
    case_manager.save()

    outcome = scheduled_backup.delay().get()

    assert "error" in outcome
    logged = Notification.objects.get()
    assert logged.kind == NotificationKind.BACKUP_FAILED and logged.party is None
    assert logged.recipient == case_manager and logged.email == "cm@example.org"
    assert "a-file" in logged.body
    assert [m.to for m in mail.outbox] == [["cm@example.org"]]
    assert mail.outbox[0].subject == "Scheduled backup failed"


def test_a_backup_notification_is_seen_by_the_secretariat_only(world, backup_dir):
    """A notification without a Party: every Secretariat role sees it through the policy; a focal
    point (their Party's notifications only) and a donor observer do not."""
    scheduled_backup.delay().get()
    logged = Notification.objects.get()
    for role in ("case_manager", "secretariat_viewer"):
        assert list(Notification.objects.restrict(world.users[role], Action.VIEW)) == [logged]
        assert Notification.access_policy.permits(world.users[role], Action.VIEW, logged)
    for role in ("ma_focal_point", "sa_focal_point", "donor_observer"):
        user = world.users[role]
        assert not Notification.objects.restrict(user, Action.VIEW).exists(), role
        assert not Notification.access_policy.permits(user, Action.VIEW, logged), role


# --- Files in object storage ---------------------------------------------------------------------


def rendered_report(world, user):
    """A report version whose PDF lives in the default storage, as a render records it."""
    from reports.choices import RenderState
    from reports.models import ReportRender, ReportVersion
    from tests.reports.conftest import make_report

    report = make_report([world.own], user=user)
    render = ReportRender.objects.create(
        report=report, requested_by=user, state=RenderState.DONE, percent=100
    )
    pdf = b"%PDF-1.7 a rendered report"
    version = ReportVersion(
        report=report,
        number=1,
        render=render,
        author=user,
        rendered_at=timezone.now(),
        as_of=report.as_of,
        language="en",
        sha256=hashlib.sha256(pdf).hexdigest(),
        page_count=1,
        snapshot={},
    )
    version.pdf.save("SC78_Doc_23-v1.pdf", ContentFile(pdf), save=False)
    version.save()
    return version


def restore_with_storage(archive, tmp_path, storage_options: dict) -> subprocess.CompletedProcess:
    """README's ``restore_portal ARCHIVE`` on a new SQLite database, its default storage the
    bucket of ``storage_options``."""
    code = (
        "import json, os; from django.conf import settings; from django.test import override_settings; "
        "from django.core.management import call_command; "
        "storages = {**settings.STORAGES, 'default': json.loads(os.environ['CAP_TEST_STORAGE'])}; "
        "override = override_settings(STORAGES=storages); override.enable(); "
        "call_command('restore_portal', os.environ['CAP_TEST_ARCHIVE'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cap_portal.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:8]}.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "REDIS_URL": "",
        "REDIS_KEY_PREFIX": "",
        "CAP_TEST_STORAGE": json.dumps(storage_options),
        "CAP_TEST_ARCHIVE": str(archive),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def other_bucket(s3_storage, settings):
    """A new, empty bucket on the same server, and the default storage's settings pointing at it."""
    from tests.conftest import ObjectStorage

    bucket = ObjectStorage(s3_storage.endpoint_url, f"cap-test-{uuid.uuid4().hex[:12]}")
    bucket.client.create_bucket(Bucket=bucket.bucket)
    configured = settings.STORAGES["default"]
    return bucket, {**configured, "OPTIONS": {**configured["OPTIONS"], "bucket_name": bucket.bucket}}


def test_backup_and_restore_with_files_in_object_storage(world, s3_storage, settings, tmp_path):
    """Uploads and rendered reports in an S3-compatible bucket are read into the archive through
    the storage API (nothing under MEDIA_ROOT); restore_portal on a new database writes them into a
    new bucket under the same names, byte for byte, the report's checksum verified."""
    user = world.users["case_manager"]
    assert default_storage.save(UPLOAD, ContentFile(UPLOAD_BYTES)) == UPLOAD
    version = rendered_report(world, user)
    assert s3_storage.keys() == sorted([UPLOAD, version.pdf.name])
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))

    archive = tmp_path / "backup.tar.gz"
    call_command("backup_portal", output=str(archive))
    manifest = archive_verify(path=archive)
    assert {f"media/{UPLOAD}", f"media/{version.pdf.name}"} <= set(manifest["members"])
    assert manifest["reports_not_matching"] == []

    target, options = other_bucket(s3_storage, settings)
    restored = restore_with_storage(archive, tmp_path, options)
    assert restored.returncode == 0, restored.stderr
    assert "and 2 files" in restored.stdout and "1 rendered reports match" in restored.stdout
    assert target.keys() == s3_storage.keys()
    for key in s3_storage.keys():
        assert target.read(key) == s3_storage.read(key)


def test_a_bucket_holding_another_file_under_an_archived_name_is_refused(db, s3_storage, settings, tmp_path):
    """restore_portal refuses a bucket that holds another file under a name of the archive, and
    writes nothing; a bucket holding the same bytes under that name is accepted and that file left
    alone, the others written under their exact names."""
    default_storage.save(UPLOAD, ContentFile(UPLOAD_BYTES))
    default_storage.save("expenditure/receipt.pdf", ContentFile(b"%PDF-1.7 receipt"))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup_portal", output=str(archive))  # a new portal: reference data and two files

    clashing, options = other_bucket(s3_storage, settings)
    settings.STORAGES = {**settings.STORAGES, "default": options}
    clashing.client.put_object(Bucket=clashing.bucket, Key=UPLOAD, Body=b"another file")
    with pytest.raises(CommandError, match="already holds other files"):
        call_command("restore_portal", str(archive))
    assert clashing.keys() == [UPLOAD] and clashing.read(UPLOAD) == b"another file"

    clashing.client.put_object(Bucket=clashing.bucket, Key=UPLOAD, Body=UPLOAD_BYTES)
    call_command("restore_portal", str(archive))
    assert clashing.keys() == sorted([UPLOAD, "expenditure/receipt.pdf"])
    assert clashing.read("expenditure/receipt.pdf") == b"%PDF-1.7 receipt"


@pytest.mark.parametrize("export", ["", "csv", "xlsx"])
def test_the_notification_log_lists_and_exports_a_backup_entry(world, backup_dir, client, export):
    """The log page and its exports show an entry without a Party."""
    from django.urls import reverse

    scheduled_backup.delay().get()
    client.force_login(world.users["secretariat_viewer"])
    response = client.get(reverse("portfolio:notification_list"), {"export": export} if export else {})
    assert response.status_code == 200
    if not export:
        assert "Backup written" in response.content.decode()
