from django.core.management.base import BaseCommand

from cases.sample import assign_demo_case_manager
from sampledata.demo import load_demo_users
from sampledata.loaders import load_sample_portfolio


class Command(BaseCommand):
    help = "Load all CITES Parties, the SC78 sample portfolio and the demo users (idempotent)."

    def handle(self, *args, **options):
        load_sample_portfolio()
        rows = load_demo_users()
        # The sample CAP cases are loaded before the demo users exist: name their case manager now.
        assign_demo_case_manager()
        self.stdout.write(self.style.SUCCESS("Sample portfolio loaded. Demo users:"))
        width = max(len(r[0]) for r in rows)
        for username, password, role in rows:
            self.stdout.write(f"  {username.ljust(width)}  password: {password}   {role}")
