from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cap_portal.backup import RestoreError, backup_restore


class Command(BaseCommand):
    help = "Restore an archive made by backup_portal into an empty database (migrated first)."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        try:
            manifest = backup_restore(path=Path(options["archive"]))
        except RestoreError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Restored {rows} rows from {options['archive']}."))
