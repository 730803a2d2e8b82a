"""Lists that do not count every row on every request, and whose deep pages cost what the first
one costs (issue 15). The API pages by cursor (``cap_portal.api.pagination``); the UI lists keep
their page numbers with :class:`CountCachedPaginator`.

- :func:`list_count`: how many rows a list has, kept in the default cache for
  ``LIST_COUNT_CACHE_SECONDS`` under a digest of the list's SQL and parameters. The user's
  restriction and the filters are in that SQL, so each (restriction, filters) has its own count,
  and two users who see the same rows share it. A count is not dropped when a row is written: it
  may lag by up to ``LIST_COUNT_CACHE_SECONDS``, and the paginator corrects it where it shows
  (below). ``0`` turns the cache off (the tests' settings, whose pinned query counts assume a
  count per request).
- :class:`CountCachedPaginator` reads one row more than the page: a list that goes on, or ends,
  elsewhere than the cached count says is counted again at once. So a page that shows the end of
  the list is always right, a page past a count that has grown is counted again rather than
  refused, and only a page in the middle may show a total (and last page number) as it was up to
  ``LIST_COUNT_CACHE_SECONDS`` before.
- A page past the first, and the first page of a long list (``KEYED_FIRST_PAGE_FROM`` rows),
  reads its rows through their primary keys: ``SELECT pk … ORDER BY … LIMIT … OFFSET …`` first,
  so that the sort and the OFFSET handle narrow rows of keys and ordering columns, not whole rows
  joined to their relations, then the page's rows by those keys. (Asked for the page in one
  query, PostgreSQL joins every row of the list to its relations before it sorts them: 3.2 s for
  the first page of 500,000 expenditure lines against 0.3 s by key.) A short list's first page
  stays one query.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

KEY_PREFIX = "list-count:"
KEYED_FIRST_PAGE_FROM = 1000  # rows: from there the first page too is read by key (docstring)


def count_key(queryset: QuerySet) -> str | None:
    """The cache key of ``queryset``'s count: a digest of its database, SQL and parameters; None
    for a queryset the database need not be asked about (``none()``, ``pk__in=[]``)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    digest = hashlib.sha256(f"{queryset.db}\n{sql}\n{params!r}".encode()).hexdigest()
    return KEY_PREFIX + digest


def list_count(queryset: QuerySet, *, fresh: bool = False) -> tuple[int, bool]:
    """How many rows ``queryset`` has, and whether that number came from the cache (then it may
    be up to ``LIST_COUNT_CACHE_SECONDS`` old). ``fresh`` counts again and keeps the new number."""
    seconds = settings.LIST_COUNT_CACHE_SECONDS
    if not seconds:
        return queryset.count(), False
    key = count_key(queryset)
    if key is None:
        return 0, False
    if not fresh:
        count = cache.get(key)
        if count is not None:
            return count, True
    count = queryset.count()
    cache.set(key, count, seconds)
    return count, False


def keyed_read_possible(queryset) -> bool:
    """Whether a page of ``queryset`` can be read through its primary keys: a plain queryset,
    not sliced, nor a union."""
    return (
        isinstance(queryset, QuerySet)
        and not queryset.query.is_sliced
        and not queryset.query.combinator
        and queryset.model is not None
    )


def read_window(queryset: QuerySet, start: int, stop: int, *, keyed: bool = True) -> list:
    """Rows ``start`` to ``stop`` of ``queryset`` in its order: with ``keyed``, the rows' keys
    first (the module's docstring), then the rows, in the same order; else one query."""
    if not keyed or not keyed_read_possible(queryset):
        return list(queryset[start:stop])
    # Two queries, not ``pk IN (subquery)``: given a subquery, PostgreSQL joins every row of the
    # list's relations before matching the keys; given the keys, it looks up those rows alone.
    keys = list(queryset.prefetch_related(None).values_list("pk", flat=True)[start:stop])
    return list(queryset.filter(pk__in=keys)) if keys else []


class CountCachedPaginator(Paginator):
    """Django's paginator (page numbers, the same template context) with a cached count checked
    against every page it reads, and deep pages read by key (the module's docstring). For any
    other list than a queryset it is Django's paginator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_from_cache = False

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            count, self.count_from_cache = list_count(self.object_list)
            return count
        return super().count

    def recount(self):
        """Count again (the cached count disagrees with the rows read), and keep the new count."""
        self.__dict__["count"], self.count_from_cache = list_count(self.object_list, fresh=True)
        self.__dict__.pop("num_pages", None)

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if not self.count_from_cache:
                raise
            self.recount()  # past a count that may have grown since: count again before refusing
            return super().validate_number(number)

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        # One row more than the page can show: whether the list goes on after it.
        limit = self.per_page + self.orphans + 1
        keyed = bottom > 0 or self.count >= KEYED_FIRST_PAGE_FROM
        rows = read_window(self.object_list, bottom, bottom + limit, keyed=keyed)
        if self.count_from_cache and not self._agrees(bottom, len(rows), limit):
            self.recount()
            number = self.validate_number(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows[: max(top - bottom, 0)], number, self)

    def _agrees(self, bottom: int, read: int, limit: int) -> bool:
        """Whether the count agrees with ``read`` rows found from row ``bottom`` (at most
        ``limit`` asked): the list ends there when fewer came, else it goes on beyond."""
        if read < limit:
            return self.count == bottom + read
        return self.count >= bottom + read
