"""Writes of the IATI app: keeping a record out of publication, and publishing it again."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cap_portal.access import Action

from .models import EXCLUDABLE, PublicationExclusion
from .selectors import content_type_for


@transaction.atomic
def publication_exclude(*, user, kind: str, object_id: int, reason: str) -> PublicationExclusion:
    """Keep a CAP case or one of its records (``kind``: a key of ``EXCLUDABLE``) out of the IATI
    file, giving the reason. Case managers only; a field error names what is wrong."""
    if not PublicationExclusion.access_policy.allows(user, Action.ADD):
        raise PermissionDenied
    errors = {}
    if kind not in EXCLUDABLE:
        errors["kind"] = _("Choose the kind of record.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why the record is kept out of publication.")
    if errors:
        raise ValidationError(errors)
    content_type = content_type_for(kind)
    if not content_type.model_class().objects.filter(pk=object_id).exists():
        raise ValidationError({"object_id": _("There is no such record.")})
    if PublicationExclusion.objects.filter(content_type=content_type, object_id=object_id).exists():
        raise ValidationError({"object_id": _("This record is already kept out of publication.")})
    exclusion = PublicationExclusion(
        content_type=content_type, object_id=object_id, reason=reason.strip(), excluded_by=user
    )
    exclusion.full_clean()
    exclusion.save()
    return exclusion


@transaction.atomic
def publication_include(*, user, exclusion: PublicationExclusion) -> None:
    """Publish a record again: its exclusion is deleted (the history keeps who did it and when)."""
    if not PublicationExclusion.access_policy.permits(user, Action.DELETE, exclusion):
        raise PermissionDenied
    exclusion.delete()
