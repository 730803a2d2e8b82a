from django.core.management.base import BaseCommand

from parties.services import PARTIES_CSV, parties_load


class Command(BaseCommand):
    help = (
        "Load (or refresh) every CITES Party with its region and flags from parties/data/cites_parties.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(PARTIES_CSV), help="CSV file to load")

    def handle(self, *args, **options):
        from pathlib import Path

        created, updated = parties_load(path=Path(options["file"]))
        self.stdout.write(self.style.SUCCESS(f"Parties: {created} created, {updated} updated."))
