"""The API's routes: a request finds its resource's routes without trying every route of the
resources registered before it (DRF's router lists about 330 routes one after another: resolving
``/api/v1/budget-lines/`` tried some 200 regular expressions, 0.45 ms of a 7 ms page;
docs/performance.md), and the routes resolve and reverse as DRF's flat list does."""

import pytest
from django.urls import Resolver404, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from rest_framework.routers import DefaultRouter

from cap_portal.api.urls import router


def _attempts(monkeypatch, path: str) -> int:
    """How many URL patterns Django tries to resolve ``path``."""
    tried = []
    for cls in (RegexPattern, RoutePattern):
        match = cls.match
        monkeypatch.setattr(cls, "match", lambda self, p, match=match: tried.append(1) or match(self, p))
    resolve(path)
    monkeypatch.undo()
    return len(tried)


def test_resolving_a_resource_does_not_try_the_routes_of_every_resource_before_it(monkeypatch):
    first, last = router.registry[0][0], router.registry[-1][0]
    to_first = _attempts(monkeypatch, f"/api/v1/{first}/")
    to_last = _attempts(monkeypatch, f"/api/v1/{last}/")
    # One attempt per resource registered before it, not one per route (four to eight each).
    assert to_last - to_first <= len(router.registry)


def _flat_routes():
    """DRF's own flat list of the same registrations."""
    flat = DefaultRouter()
    for prefix, viewset, basename in router.registry:
        flat.register(prefix, viewset, basename=basename)
    return flat.urls


def _methods(actions: dict) -> dict:
    return {method: action for method, action in actions.items() if method != "head"}


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_every_route_resolves_and_reverses_as_drfs_flat_list(suffix):
    checked = 0
    for pattern in _flat_routes():
        if pattern.name is None or pattern.name == "api-root":
            continue
        groups = pattern.pattern.regex.groupindex
        if "format" in groups and not suffix or "format" not in groups and suffix:
            continue
        kwargs = {name: "AB" if name == "code" else "7" for name in groups if name != "format"}
        if suffix:
            kwargs["format"] = "json"
        path = reverse(f"api:{pattern.name}", kwargs=kwargs)
        path_without_prefix = path.removeprefix("/api/v1/")
        assert pattern.pattern.match(path_without_prefix), (pattern.name, path)
        match = resolve(path)
        assert match.url_name == pattern.name and match.kwargs == kwargs, path
        # The same view and methods (DRF adds "head" to a view's map once it has served a GET).
        assert match.func.cls is pattern.callback.cls
        assert _methods(match.func.actions) == _methods(pattern.callback.actions), path
        checked += 1
    assert checked > 100


def test_a_path_between_two_resources_is_not_found():
    prefix = router.registry[0][0]
    with pytest.raises(Resolver404):
        resolve(f"/api/v1/{prefix}x/")
    with pytest.raises(Resolver404):
        resolve(f"/api/v1/{prefix}/7/nothing-here/")
