from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cap_portal.backup import RestoreError, archive_verify, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by backup_portal into a new database (migrated here first) and "
        "the file storage (MEDIA_ROOT or the object-storage bucket). The archive is checked whole "
        "before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"no archive at {path}")
        try:
            # Checked before migrate, so a damaged or newer archive leaves a new database untouched.
            manifest = archive_verify(path=path)
            call_command("migrate", interactive=False, verbosity=0)
            restored = backup_restore(path=path, manifest=manifest)
        except RestoreError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {restored['rows']} rows and {restored['files']} files from {path}; "
                f"{restored['reports_verified']} rendered reports match their checksums."
            )
        )
