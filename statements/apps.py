from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatementsConfig(AppConfig):
    """Donor statements: a financial and narrative statement per legal instrument (issue 16.1)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "statements"
    verbose_name = _("Donor statements")
