from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from cap_portal.backup import DATA, archive_name, backup_write


class Command(BaseCommand):
    help = (
        "Write the whole database and the uploaded files (MEDIA_ROOT or the object-storage bucket) "
        "to one archive (tar.gz), with checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="archive path (default: cap-portal-<timestamp>.tar.gz)")

    def handle(self, *args, **options):
        path = Path(options["output"] or archive_name(timezone.now()))
        manifest = backup_write(path=path)
        rows = sum(manifest["row_counts"].values())
        files = sum(1 for name in manifest["members"] if name != DATA)
        if manifest["reports_not_matching"]:
            self.stderr.write(
                self.style.WARNING(
                    "Report versions whose PDF is missing or does not match its checksum (kept as they are): "
                    f"{manifest['reports_not_matching']}"
                )
            )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}: {rows} rows, {files} files."))
