from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    """Funding sources, legal instruments, no-cost extensions, installments, budget lines,
    expenditure and the money rules (absorption, USD conversion)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "budgets"
    verbose_name = _("Budgets and funding")
