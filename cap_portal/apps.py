from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapPortalConfig(AppConfig):
    """The project package as an app: base pieces, management commands, site templates."""

    name = "cap_portal"
    verbose_name = _("CAP Portal")

    def ready(self):
        from . import middleware  # noqa: F401  (marks the sign-in time for the idle timeout)
        from .auth_cache import connect_signals

        connect_signals()  # the cached user and roles are dropped when they change
