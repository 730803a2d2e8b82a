"""One command to run the portal on the embedded default: migrate, load the sample portfolio and
demo users, start a Celery worker (with beat), then serve on 127.0.0.1:8000. The worker takes its
tasks from Redis with REDIS_URL set, otherwise from the filesystem broker under var/celery/."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def served_url(addrport: str) -> str:
    """The address to open for runserver's ``addrport`` ("8012", "0.0.0.0:8012", "[::1]:8012")."""
    host, _sep, port = addrport.rpartition(":")
    if not _sep:
        host, port = "", addrport
    if host in ("", "0.0.0.0", "0", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/"


def worker_command() -> list[str]:
    """The worker beside the web server: one process, beat included (the reminders)."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "cap_portal",
        "worker",
        "--loglevel=INFO",
        "--concurrency=1",
        "--beat",
    ]
    if not settings.REDIS_URL:
        # On the filesystem broker every gossip heartbeat would be a file; a lone worker needs
        # neither gossip nor the start-up synchronisation with other workers.
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return command


class Command(BaseCommand):
    help = "Migrate, load sample data and demo users, start a Celery worker, and serve the portal."

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
            self.stdout.write("Background work runs in-process (CELERY_TASK_ALWAYS_EAGER is set).")
        else:
            self.stdout.write(f"Starting a Celery worker (with beat) on {settings.CELERY_BROKER_URL}")
            worker = subprocess.Popen(worker_command(), cwd=settings.BASE_DIR)
        self.stdout.write(
            self.style.SUCCESS(f"CAP Portal on {served_url(options['addrport'])}  (API docs: /api/docs/)")
        )
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
