from django.db import models
from django.utils.translation import gettext_lazy as _


class CapStage(models.TextChoices):
    """Where a Party stands in the Compliance Assistance Programme (CoP18 Doc. paras. 26–51)."""

    CANDIDATE = "candidate", _("Candidate")
    LONG_LIST = "long_list", _("Long list")
    SHORT_LIST = "short_list", _("Short list")
    SELECTED = "selected", _("Selected")
    IN_IMPLEMENTATION = "in_implementation", _("In implementation")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")
    NOT_SELECTED = "not_selected", _("Not selected")
