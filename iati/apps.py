from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IatiConfig(AppConfig):
    """The portfolio published in the IATI Standard 2.03 (activity XML), and what is kept out of
    publication."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "iati"
    verbose_name = _("IATI publication")
