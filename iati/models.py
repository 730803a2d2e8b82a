"""What is kept out of the IATI publication: a CAP case or one of its records (a funding
agreement, an installment, a budget line, expenditure, an indicator or one of its values),
with the reason, who excluded it and when. Written by ``iati.services`` only; every change is in
the history (publishing a record again deletes its exclusion, which the history keeps)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cap_portal.access import (
    CASE_MANAGER_ROLES,
    DONOR_ROLES,
    SECRETARIAT_ROLES,
    AccessPolicy,
    RestrictedQuerySet,
)
from cap_portal.models import BaseModel

# The records that may be kept out, by the name used in forms and URLs: (app label, model).
EXCLUDABLE = {
    "capcase": ("cases", "capcase"),
    "legalinstrument": ("budgets", "legalinstrument"),
    "installment": ("budgets", "installment"),
    "budgetline": ("budgets", "budgetline"),
    "expenditure": ("budgets", "expenditure"),
    "indicator": ("workplans", "indicator"),
    "indicatorvalue": ("workplans", "indicatorvalue"),
}


# Who may have a donor's share of the IATI file, as a policy on ``parties.Donor``: the Secretariat
# every donor's, a donor observer its own donor's (``donor_path="pk"``: the donor itself).
DONOR_SHARE_POLICY = AccessPolicy(party_path=None, donor_path="pk", view=SECRETARIAT_ROLES | DONOR_ROLES)


def excludable_content_types():
    """``limit_choices_to`` of the exclusion's kind: the models of :data:`EXCLUDABLE`."""
    query = models.Q(pk__in=[])
    for app_label, model in EXCLUDABLE.values():
        query |= models.Q(app_label=app_label, model=model)
    return query


class PublicationExclusion(BaseModel):
    """A record kept out of the IATI file: the file leaves it out (a CAP case: its whole
    activity; a funding agreement: its commitment and installments; a budget line: its budget
    and expenditure; an indicator: its values), whatever the scope and date asked for."""

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=excludable_content_types,
        verbose_name=_("kind of record"),
    )
    object_id = models.PositiveBigIntegerField(_("record id"))
    target = GenericForeignKey("content_type", "object_id")
    reason = models.TextField(_("reason"))
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("excluded by"),
    )

    # The Secretariat reads what is kept out of publication; case managers decide it.
    access_policy = AccessPolicy.written_by(CASE_MANAGER_ROLES, party_path=None, view=SECRETARIAT_ROLES)
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("exclusion from publication")
        verbose_name_plural = _("exclusions from publication")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="publication_exclusion_unique"
            ),
        ]

    def __str__(self):
        return _("%(kind)s %(id)s kept out of publication") % {
            "kind": self.content_type.name if self.content_type_id else "?",
            "id": self.object_id,
        }

    def get_absolute_url(self):
        return reverse("iati:publication") + f"#exclusion-{self.pk}"
