import logging

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"

    def ready(self):
        # WeasyPrint and fontTools log every layout step at INFO: keep worker logs readable.
        for name in ("weasyprint", "fontTools"):
            logging.getLogger(name).setLevel(logging.WARNING)
