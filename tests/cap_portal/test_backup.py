"""Backup and restore: what ``restore_portal`` refuses, with nothing written.

The round trip itself (README's commands on new SQLite and PostgreSQL databases, every row, file and
report checksum back) is ``test_backup_readme.py``. Here the archive is made from the test
database, then damaged, and ``restore_portal`` must refuse it before touching the database or
MEDIA_ROOT: a truncated archive, a member altered, added or missing, a path outside MEDIA_ROOT, an
archive made by a newer schema; and a sound archive onto a database that holds data.
"""

import hashlib
import io
import json
import tarfile

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from cap_portal.backup import DATA, MANIFEST, REFERENCE_DATA, archive_verify, row_counts


@pytest.fixture
def archive(world, tmp_path, settings):
    """An archive of the test world and one uploaded file; MEDIA_ROOT then points at an empty
    folder, so any file a refused restore wrote would show."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "deliverables").mkdir(parents=True)
    (settings.MEDIA_ROOT / "deliverables" / "ndf.pdf").write_bytes(b"%PDF-1.7 sample bytes")
    path = tmp_path / "backup.tar.gz"
    call_command("backup_portal", output=str(path))
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    settings.MEDIA_ROOT.mkdir()
    return path


def members(path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers()}


def write(path, contents: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name, payload in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))


def refused(path, match: str) -> None:
    """restore_portal refuses with ``match`` in the message, and nothing is written."""
    counts = row_counts()
    with pytest.raises(CommandError, match=match):
        call_command("restore_portal", str(path))
    assert row_counts() == counts
    assert not any(settings.MEDIA_ROOT.iterdir()), "nothing written under MEDIA_ROOT"


def test_the_archive_lists_every_member_with_its_checksum(archive):
    """The manifest (last member) holds the size and SHA-256 of the rows and of every file."""
    contents = members(archive)
    assert list(contents)[-1] == MANIFEST
    manifest = json.loads(contents[MANIFEST])
    assert set(manifest["members"]) == set(contents) - {MANIFEST}
    for name, member in manifest["members"].items():
        assert member == {"size": len(contents[name]), "sha256": hashlib.sha256(contents[name]).hexdigest()}
    assert manifest["row_counts"]["parties.party"] == 2
    assert archive_verify(path=archive)["row_counts"] == manifest["row_counts"]


def test_refuses_a_database_that_holds_data(archive):
    """A sound archive onto the database it came from (it holds users and Parties) is refused."""
    refused(archive, "holds data")


def test_reference_data_alone_is_not_user_data(db):
    """Only the rows a data migration loads may be in a database a restore accepts."""
    counts = {label: n for label, n in row_counts().items() if n}
    assert set(counts) == REFERENCE_DATA, "a freshly migrated test database holds only reference data"


def test_refuses_a_truncated_archive(archive):
    """An archive cut short (a copy interrupted) is refused before anything is written."""
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    refused(archive, "truncated or damaged")


@pytest.mark.parametrize("damage", ["altered", "added", "missing"])
def test_refuses_an_altered_archive(archive, damage):
    """A member whose bytes differ from the manifest's checksum, or one added or missing, is
    refused before anything is written."""
    contents = members(archive)
    if damage == "altered":
        rows = contents[DATA]
        contents[DATA] = rows.replace(b'"Togo"', b'"Tog0"', 1)
        assert contents[DATA] != rows
    elif damage == "added":
        contents = {"media/extra.pdf": b"not in the manifest", **contents}
    else:
        del contents["media/deliverables/ndf.pdf"]
    write(archive, contents)
    refused(archive, "does not match its manifest")


def test_refuses_an_unsafe_path(archive):
    """A member that would land outside MEDIA_ROOT is refused, even when the manifest lists it."""
    contents = members(archive)
    manifest = json.loads(contents.pop(MANIFEST))
    evil, name = b"overwrite me", "media/../../evil.py"
    manifest["members"][name] = {"size": len(evil), "sha256": hashlib.sha256(evil).hexdigest()}
    write(archive, {**contents, name: evil, MANIFEST: json.dumps(manifest).encode()})
    refused(archive, "unsafe")


def test_refuses_an_archive_of_a_newer_schema(archive):
    """An archive whose database had migrations this code does not know is refused."""
    contents = members(archive)
    manifest = json.loads(contents[MANIFEST])
    manifest["migrations"].append("cases.9999_from_the_future")
    contents[MANIFEST] = json.dumps(manifest).encode()
    write(archive, contents)
    refused(archive, "newer version")
