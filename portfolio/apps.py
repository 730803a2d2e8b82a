from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    """The case manager's and the focal point's daily work across the portfolio: the dashboard,
    what needs attention, reminders, notifications, comments, the activity feed and preferences."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        from . import preferences  # noqa: F401  (connects the sign-in signal)
