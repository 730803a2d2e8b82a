"""The Celery application. Tasks are thin wrappers in each app's tasks.py that take ids."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cap_portal.settings.local")

app = Celery("cap_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
