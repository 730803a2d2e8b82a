"""Optimistic concurrency: an ETag per object version, checked against If-Match on writes.

The version is the object's ``updated`` timestamp (microseconds), so any save changes it. The
check runs inside the write's transaction with the row locked (SELECT … FOR UPDATE on
PostgreSQL), so two writers holding the same ETag cannot both succeed.
"""

import hashlib

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


def etag_for(obj) -> str:
    stamp = obj.updated.isoformat() if getattr(obj, "updated", None) else ""
    digest = hashlib.sha256(f"{obj._meta.label}:{obj.pk}:{stamp}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def version_token(obj) -> str:
    """The same version as a plain string, for hidden fields in UI edit forms."""
    return etag_for(obj).strip('"')


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _("This change needs an If-Match header with the ETag of the version you edited.")
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record was changed by someone else since you read it. Reload it and try again.")
    default_code = "precondition_failed"


def if_match_satisfied(header: str | None, obj) -> bool:
    if header is None:
        return False
    tags = [tag.strip() for tag in header.split(",")]
    current = etag_for(obj)
    return "*" in tags or current in tags or f"W/{current}" in tags
