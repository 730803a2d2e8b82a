"""Backup and restore: a round trip gives back every row, every uploaded file, and the rendered
reports with their checksums."""

import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from cap_portal.backup import row_counts
from cap_portal.celery import app


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restore_round_trip(tmp_path, settings):
    """Sample portfolio + an uploaded file + a rendered SC report → archive → empty database →
    identical row counts, file bytes and report checksum."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "deliverables").mkdir(parents=True)
    upload = settings.MEDIA_ROOT / "deliverables" / "ndf.pdf"
    upload.write_bytes(b"%PDF-1.7 sample bytes")
    call_command("load_sample_data")
    version = _render_a_report(settings)
    checksum = version.sha256
    assert hashlib.sha256(version.pdf.read()).hexdigest() == checksum
    before = row_counts()
    assert before["parties.party"] == 185 and before["parties.historicalparty"] >= 185

    archive = tmp_path / "backup.tar.gz"
    call_command("backup_portal", output=str(archive))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_portal", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    upload.unlink()
    assert row_counts()["parties.party"] == 0

    call_command("restore_portal", str(archive))
    assert row_counts() == before
    assert upload.read_bytes() == b"%PDF-1.7 sample bytes"
    from parties.models import Party

    assert Party.objects.get(code="TG").authorities.count() == 3
    from reports.models import ReportVersion

    restored = ReportVersion.objects.get(pk=version.pk)
    assert restored.sha256 == checksum
    with restored.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == checksum


def _render_a_report(settings):
    """Render a one-Party report in-process (the worker's code path, run eagerly)."""
    from parties.models import Party
    from reports.models import ReportVersion
    from reports.services import report_render_request
    from tests.reports.conftest import make_report

    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = app.conf.task_always_eager
    app.conf.update(task_always_eager=True)
    try:
        user = get_user_model().objects.get(username="casemanager")
        report = make_report([Party.objects.get(code="TG")], user=user, symbol="SC99 Doc. 1")
        with transaction.atomic():
            render = report_render_request(report=report, user=user)
        return ReportVersion.objects.get(render=render)
    finally:
        app.conf.update(task_always_eager=before)
