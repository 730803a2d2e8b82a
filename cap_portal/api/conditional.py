"""Conditional GET for the API: an ETag on every list and detail, 304 Not Modified to a client
that already has the current version (``If-None-Match``, or ``If-Modified-Since`` on a detail).

- A detail's ETag is the record's version, the one ``If-Match`` checks on writes
  (``cap_portal.concurrency.etag_for``), with ``Last-Modified`` from its ``updated`` time; a
  304 is answered before the record is serialised.
- A list's ETag is a digest of the page as answered (its rows, links and count), of the URL
  (filters, page) and of who asks (the user): any change to a row shown, to the
  filters or to the page gives another ETag, and one user's ETag never matches another's list.
  The list is still read and serialised; the 304 spares the transfer and the client's work.

Every answer says ``Cache-Control: private, no-cache`` and varies on ``Authorization`` and
``Cookie``: no shared cache keeps one user's answer for another, and a client asks again (with
its ETag) before reusing what it has.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

SAFE_METHODS = ("GET", "HEAD")


def _opaque(tag: str) -> str:
    return tag.removeprefix("W/")


def not_modified(request, etag: str, last_modified=None) -> bool:
    """Whether the client's copy is current: its ``If-None-Match`` names ``etag`` (weak
    comparison, as RFC 9110 asks for GET), or, without ``If-None-Match``, ``If-Modified-Since``
    is not before ``last_modified`` (whole seconds, as HTTP dates are)."""
    if request.method not in SAFE_METHODS:
        return False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = parse_etags(if_none_match)
        return tags == ["*"] or _opaque(etag) in {_opaque(tag) for tag in tags}
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and last_modified is not None and int(last_modified.timestamp()) <= since


def mark(response, etag: str, last_modified=None):
    """Give a 200 or a 304 its validators and caching rules."""
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
    return response


def not_modified_response(etag: str, last_modified=None):
    return mark(HttpResponseNotModified(), etag, last_modified)


def list_etag(request, content: bytes) -> str:
    """The ETag of a list page as answered to this user (see the module's docstring). The user's
    id is enough to keep users apart: what their roles let them see is in the content."""
    digest = hashlib.sha256()
    digest.update(f"{request.user.pk}:{request.get_full_path()}\n".encode())
    digest.update(content)
    return f'"{digest.hexdigest()[:32]}"'


def conditional_list(request, response):
    """The rendered list ``response`` with its ETag, or 304 when the client's copy is current."""
    if request.method not in SAFE_METHODS or response.status_code != 200:
        return response
    response.render()
    etag = list_etag(request, response.content)
    if not_modified(request, etag):
        return not_modified_response(etag)
    return mark(response, etag)
