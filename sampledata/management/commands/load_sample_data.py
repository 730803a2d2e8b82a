from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cases.sample import assign_demo_case_manager
from sampledata.demo import load_demo_users
from sampledata.loaders import load_sample_portfolio


class Command(BaseCommand):
    help = "Load all CITES Parties, the SC78 sample portfolio and the demo users (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            # The demo users' password is published in README: they must never exist in production.
            raise CommandError(
                _(
                    "The sample portfolio and its demo users (whose password is published) are only "
                    "for the embedded default; these settings refuse them. Create the first case "
                    "manager with `manage.py create_case_manager` instead."
                )
            )
        load_sample_portfolio()
        rows = load_demo_users()
        # The sample CAP cases are loaded before the demo users exist: name their case manager now.
        assign_demo_case_manager()
        self.stdout.write(self.style.SUCCESS("Sample portfolio loaded. Demo users:"))
        width = max(len(r[0]) for r in rows)
        for username, password, role in rows:
            self.stdout.write(f"  {username.ljust(width)}  password: {password}   {role}")
