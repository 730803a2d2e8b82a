"""Downloads: every file the portal hands out (exports, stored documents, report versions) goes
through :func:`attachment`, so each gets the same safe headers."""

import mimetypes
import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, Http404, HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Control characters and path separators never belong in a name offered to save a file under.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]")
# A quoted-string may hold printable ASCII, but not its own quote (nor "\", removed above).
_NOT_QUOTABLE = re.compile(r'[^\x20-\x7e]|"')


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment; filename="…"`` with an ASCII name every client reads, and, when the name is not
    plain ASCII, the exact name as ``filename*=utf-8''…`` (RFC 6266 / RFC 5987), which browsers prefer."""
    name = _UNSAFE.sub("-", filename or "").strip() or "download"
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = _NOT_QUOTABLE.sub("_", ascii_name).strip()
    stem, dot, extension = fallback.rpartition(".") if "." in fallback else (fallback, "", "")
    if not stem.strip(" ._-"):  # nothing left of a name in another script: keep the extension
        fallback = f"download{dot}{extension}"
    header = f'{"inline" if inline else "attachment"}; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=utf-8''{quote(name, safe='')}"
    return header


def attachment(content, filename: str, content_type: str | None = None) -> HttpResponse:
    """A download named ``filename``: ``content`` is bytes or text (an ``HttpResponse``) or an open
    binary file (streamed by a ``FileResponse``, closed when sent). Without ``content_type``, the
    type is guessed from the name (``application/octet-stream`` when unknown). The browser is told
    not to guess the type (``nosniff``), so an uploaded document is never run as a page."""
    if isinstance(content, (bytes, bytearray, str)):
        response = HttpResponse(content, content_type=content_type or _guess_type(filename))
    else:
        response = FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _guess_type(filename: str) -> str:
    content_type, _encoding = mimetypes.guess_type(filename)
    return content_type or "application/octet-stream"


def stored_file(field, filename: str, content_type: str | None = None) -> HttpResponse:
    """A stored file (a ``FileField``'s value) as a download named ``filename``; 404 when the record
    has no file or storage has lost it. The caller has checked that the user may see the record.
    The file is read through the storage API, from MEDIA_ROOT or the object-storage bucket alike
    (settings ``OBJECT_STORAGE_BUCKET``): no address in the bucket is ever handed out."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return attachment(handle, filename, content_type)
