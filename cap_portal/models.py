"""The base model every domain model inherits."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cap_portal.access import AccessPolicy, RestrictedQuerySet


class BaseModel(models.Model):
    """Timestamps, an audit history of every change with the acting user, and ``restrict()``.

    Subclasses declare ``access_policy`` (see :mod:`cap_portal.access`).
    """

    created = models.DateTimeField(_("created"), auto_now_add=True, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True, editable=False)

    history = HistoricalRecords(inherit=True)
    objects = RestrictedQuerySet.as_manager()

    access_policy: ClassVar[AccessPolicy]

    class Meta:
        abstract = True
