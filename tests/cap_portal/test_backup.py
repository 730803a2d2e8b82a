"""Backup and restore: a round trip gives back every row and every uploaded file."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cap_portal.backup import row_counts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restore_round_trip(tmp_path, settings):
    """Sample portfolio + an uploaded file → archive → empty database → identical row counts and bytes."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "deliverables").mkdir(parents=True)
    upload = settings.MEDIA_ROOT / "deliverables" / "ndf.pdf"
    upload.write_bytes(b"%PDF-1.7 sample bytes")
    call_command("load_sample_data")
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
