"""One command to run the portal on the embedded default: migrate, load the sample portfolio and
demo users, then serve on 127.0.0.1:8000. With REDIS_URL set it also starts a Celery worker."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, load sample data and demo users, start a worker if needed, and serve the portal."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-sample", action="store_true", help="skip the sample portfolio")

    def handle(self, *args, **options):
        (settings.BASE_DIR / "var").mkdir(exist_ok=True)
        call_command("migrate", interactive=False, verbosity=1)
        if not options["no_sample"]:
            call_command("load_sample_data")
        worker = None
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("Background work runs in-process (no REDIS_URL set).")
        else:
            self.stdout.write(f"Starting a Celery worker against {settings.CELERY_BROKER_URL}")
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "cap_portal",
                    "worker",
                    "--loglevel=INFO",
                    "--concurrency=1",
                    "--beat",
                ],
            )
        self.stdout.write(
            self.style.SUCCESS(f"CAP Portal on http://{options['addrport']}/  (API docs: /api/docs/)")
        )
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
