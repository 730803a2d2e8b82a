"""The Celery application. Tasks are thin wrappers in each app's tasks.py that take ids."""

import logging
import os
import time
from pathlib import Path

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cap_portal.settings.local")

logger = logging.getLogger(__name__)

app = Celery("cap_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

FILESYSTEM_FOLDERS = ("data_folder_in", "data_folder_out", "control_folder", "processed_folder")


def ensure_broker_folders(conf) -> None:
    """kombu's filesystem transport (the embedded default's broker) needs its folders to exist;
    make them in whichever process touches the broker first, web or worker."""
    if not str(conf.broker_url or "").startswith("filesystem"):
        return
    options = conf.broker_transport_options or {}
    for key in FILESYSTEM_FOLDERS:
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs):
    ensure_broker_folders(sender.conf)


@worker_init.connect
def _load_report_renderer(**kwargs):
    """Before the worker starts its pool: WeasyPrint, the document's template and the charts'
    fonts (``reports.documents.warm_up``), loaded once here and inherited by every pool process
    forked from this one, instead of by each one's first report."""
    from reports.documents import warm_up

    start = time.perf_counter()
    warm_up()
    logger.info("Report renderer loaded in %.1f s", time.perf_counter() - start)
