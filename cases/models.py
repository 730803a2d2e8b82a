"""Compliance cases and the CAP case: a Party's engagement in the programme."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cap_portal.access import PARTY_ROLES, AccessPolicy, Role
from cap_portal.models import BaseModel
from parties.models import Party

from .choices import CapStage

SECRETARIAT = frozenset({Role.CASE_MANAGER, Role.SECRETARIAT_VIEWER})
CASE_MANAGER_ONLY = frozenset({Role.CASE_MANAGER})


class CapCase(BaseModel):
    """A Party's engagement in the CAP, from candidate to closed."""

    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="cap_cases", verbose_name=_("Party"))
    stage = models.CharField(_("stage"), max_length=30, choices=CapStage.choices, default=CapStage.CANDIDATE)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_cap_cases",
        verbose_name=_("Secretariat case manager"),
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    access_policy = AccessPolicy(
        party_path="party",
        view=SECRETARIAT | PARTY_ROLES,
        add=CASE_MANAGER_ONLY,
        change=CASE_MANAGER_ONLY,
        delete=CASE_MANAGER_ONLY,
    )

    class Meta:
        ordering = ["party__name"]
        verbose_name = _("CAP case")
        verbose_name_plural = _("CAP cases")

    def __str__(self):
        return _("CAP — %(party)s") % {"party": self.party}

    def get_absolute_url(self):
        return reverse("cases:capcase_detail", kwargs={"pk": self.pk})
