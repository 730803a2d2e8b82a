"""The API's router: DRF's ``DefaultRouter``, its routes grouped by resource.

DRF lists every route of every resource one after another (about 330 for the portal's 44
resources: list, detail and their actions, each twice for the format suffix), and Django tries
them in order: ``/api/v1/budget-lines/`` was found after some 200 regular expressions, 0.45 ms of
a 7 ms list page (docs/performance.md, issue 15.2). Here each resource's routes sit under one
pattern, its prefix, so a request tries one pattern per resource before its own and then only its
resource's routes. Names, paths, views and URL arguments are DRF's
(``tests/cap_portal/test_api_routes.py`` compares them with DRF's flat list)."""

from django.urls import include, re_path
from rest_framework.routers import DefaultRouter


def _prefix_of(regex: str, prefixes: list[str]) -> str | None:
    """The resource whose routes start with ``^<prefix>/`` a route's regex has, the longest
    prefix first; None for the API root and a list's format suffix (``^<prefix>\\.<format>``)."""
    for prefix in prefixes:
        if regex.startswith(f"^{prefix}/"):
            return prefix
    return None


class GroupedRouter(DefaultRouter):
    def get_urls(self):
        prefixes = sorted({prefix for prefix, _viewset, _basename in self.registry}, key=len, reverse=True)
        grouped: dict[str, list] = {}
        urls, after = [], []
        for url in super().get_urls():
            regex = url.pattern.regex.pattern
            prefix = _prefix_of(regex, prefixes)
            if prefix is None:
                # The API root first, as DRF has it; the lists' format suffixes (``.json``, rare)
                # after every resource, where they cost a request of any other route nothing.
                (after if url.name and url.name != "api-root" else urls).append(url)
                continue
            if prefix not in grouped:
                grouped[prefix] = []
                urls.append(re_path(f"^{prefix}/", include(grouped[prefix])))
            inner = "^" + regex[len(prefix) + 2 :]
            grouped[prefix].append(re_path(inner, url.callback, url.default_args, name=url.name))
        return [*urls, *after]
