"""Every URL of the portal × every role × own/other Party × read/write, against the one table in
tests/security/matrix.py. A URL missing from the table fails the first test."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .matrix import ADMIN_PREFIX, MATRIX, ROLES, Endpoint

ALL_ROLES = ["anonymous", *ROLES]


def url_patterns(patterns=None, namespace=""):
    """(name, pattern) for every named URL, format-suffix variants left out."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            if "format" in kwarg_names(entry):
                continue
            yield namespace + (entry.name or str(entry.pattern)), entry


def kwarg_names(entry: URLPattern) -> list[str]:
    pattern = entry.pattern
    if hasattr(pattern, "converters") and pattern.converters:
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


PATTERNS = dict(url_patterns())


def test_every_url_is_in_the_matrix():
    """A new endpoint or page cannot ship without its row in the permission matrix."""
    names = set(PATTERNS)
    missing = sorted(n for n in names if n not in MATRIX and not n.startswith(ADMIN_PREFIX))
    stale = sorted(n for n in MATRIX if n not in names)
    assert not missing, f"URLs missing from tests/security/matrix.py: {missing}"
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"


def cases():
    for name, endpoint in MATRIX.items():
        targets = ["own", "other"] if endpoint.obj else ["-"]
        for method, rules in (("read", endpoint.read), ("write", endpoint.write)):
            if rules is None:
                continue
            for role in ALL_ROLES:
                for target in targets:
                    yield pytest.param(name, role, target, method, id=f"{name}|{method}|{role}|{target}")


def expected(endpoint: Endpoint, rules: dict, role: str, target: str) -> str:
    if role == "anonymous":
        return "allowed" if endpoint.public else "anonymous"
    rule = rules[role]
    if rule == "A":
        return "allowed"
    if rule in ("O", "D"):
        return "allowed" if target in ("own", "-") else "hidden"
    if rule == "H":
        return "hidden"
    return "forbidden"


def build_url(name: str, endpoint: Endpoint, obj) -> str:
    if obj is None:
        return reverse(name)
    if endpoint.kwargs:
        return reverse(name, kwargs=endpoint.kwargs(obj))
    kwargs = {}
    for kwarg in kwarg_names(PATTERNS[name]):
        if kwarg == "pk":
            kwargs[kwarg] = obj.pk
        elif kwarg == "code":
            kwargs[kwarg] = str(obj.party.code if hasattr(obj, "party") else obj.code)
        else:
            raise AssertionError(f"{name}: give the Endpoint a kwargs() for '{kwarg}'")
    return reverse(name, kwargs=kwargs)


_SCHEMAS: dict = {}


def schema_generated_once(monkeypatch):
    """/api/schema/ serves the public document (SERVE_PUBLIC), the same for every user, and its
    generation is the costliest request of the suite: a test process generates it for the first
    role that may read it and serves that document to the next roles. The view still
    authenticates and checks permissions on every request, which is what these rows probe."""
    from drf_spectacular.generators import SchemaGenerator

    generate = SchemaGenerator.get_schema

    def get_schema(self, request=None, public=False):
        if public not in _SCHEMAS:
            _SCHEMAS[public] = generate(self, request=request, public=public)
        return _SCHEMAS[public]

    monkeypatch.setattr(SchemaGenerator, "get_schema", get_schema)


@pytest.mark.django_db
@pytest.mark.parametrize("name, role, target, method", list(cases()))
def test_permission_matrix(name, role, target, method, world, client, monkeypatch):
    """The answer for this URL, role, Party and method is the one the matrix declares."""
    endpoint = MATRIX[name]
    if name == "schema":
        schema_generated_once(monkeypatch)
    obj = endpoint.obj(world, target) if endpoint.obj else None
    url = build_url(name, endpoint, obj)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    is_api = name.startswith("api:") or name == "schema"
    if method == "read":
        response = client.get(url)
    else:
        verb = getattr(client, endpoint.write_method)
        if is_api:
            response = verb(url, endpoint.write_data, content_type="application/json")
        else:
            response = verb(url, endpoint.write_data)
    outcome = expected(endpoint, endpoint.read if method == "read" else endpoint.write, role, target)
    status = response.status_code
    if outcome == "anonymous":
        if is_api:
            assert status == 401, (url, status)
        else:
            assert status == 302 and "/login/" in response["Location"], (url, status)
    elif outcome == "hidden":
        assert status == 404, (url, status)
    elif outcome == "forbidden":
        assert status == 403, (url, status)
    else:
        assert status not in (401, 403, 404, 405), (url, status)
        if status == 302 and not endpoint.signs_out:
            assert "/login/" not in response["Location"], (url, response["Location"])
        if endpoint.exact and method == "read":
            # A plain CRUD URL (tests/access_expectations.py): the page or record itself.
            assert status == 200, (url, status)
            if is_api and name.endswith("-detail"):
                assert response.json()["id"] == obj.pk, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_admin_is_closed_to_every_role(role, world, client):
    """The Django admin is for superusers (IT) only: every portal role is sent to its sign-in."""
    client.force_login(world.users[role])
    admin_names = [
        n for n in PATTERNS if n.startswith(ADMIN_PREFIX) and PATTERNS[n].pattern.regex.groups == 0
    ]
    assert admin_names
    for name in admin_names:
        if name in ("admin:logout", "admin:login"):
            continue  # the admin's own sign-in page and sign-out
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], name
