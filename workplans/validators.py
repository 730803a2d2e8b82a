"""Upload checks for deliverable files: extension, size, and the type read from the content."""

import os
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# extension → the type the content must have (as ``filetype`` names it)
ALLOWED_TYPES = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".png": "png",
    ".jpg": "jpg",
    ".jpeg": "jpg",
}
# Office files are ZIP archives; ``filetype`` only recognises them when the part it looks for comes
# early in the archive, so a ZIP is accepted when it holds the part that makes it that kind of file.
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


def max_upload_bytes() -> int:
    """The size limit, read at call time (setting ``WORKPLANS_MAX_UPLOAD_BYTES``, default 20 MB)."""
    return getattr(settings, "WORKPLANS_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def _content_kind(file) -> str | None:
    guess = filetype.guess(file)
    kind = guess.extension if guess else None
    if kind in (None, "zip", "docx", "xlsx"):
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return kind
        finally:
            file.seek(0)
        for office_kind, part in OFFICE_PARTS.items():
            if part in names:
                return office_kind
    return kind


def validate_deliverable_file(value) -> None:
    """Refuse a file whose extension or content is not PDF, DOCX, XLSX, PNG or JPEG, or that is too big.

    Only a newly uploaded file is read; a stored one was checked when it arrived.
    """
    if not value or getattr(value, "_committed", True):
        return
    limit = max_upload_bytes()
    if value.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(value.size), "limit": filesizeformat(limit)},
        )
    extension = os.path.splitext(value.name)[1].lower()
    expected = ALLOWED_TYPES.get(extension)
    if expected is None:
        raise ValidationError(
            _("Files of this type are not accepted: upload a PDF, DOCX, XLSX, PNG or JPEG file."),
            code="file_extension",
        )
    actual = _content_kind(value.file if hasattr(value, "file") else value)
    if actual != expected:
        raise ValidationError(
            _("The file's content is not what its name says (%(extension)s): upload the real document."),
            code="file_content",
            params={"extension": extension},
        )
