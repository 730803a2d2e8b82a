"""Access rules live in one place: cap_portal/access.py.

This test guards that no other module of the portal (the apps cases, parties, workplans, budgets,
reports, portfolio and cap_portal; migrations and tests aside) and no template spells a role or
tests one by hand. Outside access.py it fails on:

- the ``Role`` enumeration (``Role.CASE_MANAGER``, ``Role.choices``, ``import Role``);
- a role value as a string literal (``"case_manager"``, ``"secretariat_viewer"``,
  ``"ma_focal_point"``, ``"sa_focal_point"``, ``"donor_observer"``), except where the string names
  a model field (``CapCase.case_manager`` in ``select_related``, ``fields = [...]``,
  ``update_fields``, ``form.fields["case_manager"]``);
- access.py's raw role reader and its parts: ``get_user_roles``, ``global_roles``,
  ``parties_for``, ``is_secretariat`` (and, in templates, ``party_roles``, ``donor_ids``).

Views, templates, menus, selectors and services ask the policy instead: ``Model.access_policy``
(``allows``/``permits``, ``{% may %}``/``{% can %}`` from ``cap_access``), the named role sets and
rules of access.py (``holds_role``, ``party_ids_held``, ``users_holding``, ``is_party_role``…).

``ALLOWED`` lists the files that may still do so, each with why; a listed file that no longer
needs its entry fails ``test_allow_list_is_not_stale``, so the list only shrinks.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [
    "cases",
    "parties",
    "workplans",
    "budgets",
    "reports",
    "portfolio",
    "decisions",
    "cap_portal",
    "statements",
    "iati",
]
POLICY_MODULE = "cap_portal/access.py"

ROLE_VALUES = {"case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"}
RAW_READER_NAMES = {"get_user_roles", "global_roles", "parties_for", "is_secretariat"}

# Files that may still spell roles, and why. Remove an entry when its file is cleaned up. (The
# workflow files of issue 12 — cases/workflow.py, workplans/workflow.py and the services — needed
# entries while the workflow engine was being rewritten; they no longer do.)
ALLOWED: dict[str, str] = {}
ALLOWED_PATTERNS = [
    # Every app's sample loader (cases/sample.py, workplans/sample.py…) writes the sample records,
    # e.g. a CAP case's case manager, by field name. The demo users and the synthetic generator
    # live in sampledata/, outside the apps scanned here: creating users with roles is their job.
    re.compile(r"^[a-z_]+/sample\.py$"),
]

# Where a role-valued string is a model field name, not a role.
FIELD_METHODS = {
    "select_related",
    "prefetch_related",
    "only",
    "defer",
    "values",
    "values_list",
    "order_by",
    "get_field",
}
FIELD_LIST_NAMES = {
    "fields",
    "list_display",
    "list_filter",
    "search_fields",
    "ordering",
    "export_fields",
    "readonly_fields",
    "raw_id_fields",
    "autocomplete_fields",
    "update_fields",
}

_ROLE_VALUES_RE = "|".join(sorted(ROLE_VALUES))
_RAW_NAMES_RE = "|".join(sorted(RAW_READER_NAMES | {"party_roles", "donor_ids"}))
TEMPLATE_PATTERNS = [
    re.compile(r"\bRole\."),
    re.compile(rf"""["'](?:{_ROLE_VALUES_RE})["']"""),
    re.compile(rf"\b(?:{_RAW_NAMES_RE})\b"),
]


def is_allowed(relative: str) -> bool:
    return relative in ALLOWED or any(p.match(relative) for p in ALLOWED_PATTERNS)


def python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == POLICY_MODULE:
                continue
            yield relative, path


def template_files():
    roots = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    for root in roots:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".md"}:
                    yield path.relative_to(ROOT).as_posix(), path


def _names_field(node, parent) -> bool:
    """Whether the string constant ``node`` names a model field where it stands."""
    if isinstance(parent, (ast.List, ast.Tuple)):
        container, parent = parent, getattr(parent, "_parent", None)
    else:
        container = None
    if isinstance(parent, ast.Call) and container is None:
        func = parent.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in FIELD_METHODS and node in parent.args
    if isinstance(parent, ast.keyword) and container is not None:
        return parent.arg in FIELD_LIST_NAMES
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and container is not None:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        names = {t.id if isinstance(t, ast.Name) else getattr(t, "attr", "") for t in targets}
        return bool(names & FIELD_LIST_NAMES)
    if isinstance(parent, ast.Subscript) and container is None and parent.slice is node:
        value = parent.value
        name = value.attr if isinstance(value, ast.Attribute) else getattr(value, "id", "")
        return name == "fields"
    return False


def python_findings(source: str) -> list[str]:
    tree = ast.parse(source)
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            child._parent = parent
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Name) and node.id == "Role":
            found.append(f"{line}: Role")
        elif isinstance(node, ast.alias) and node.name == "Role":
            found.append(f"{line}: import Role")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ROLE_VALUES:
            if not _names_field(node, getattr(node, "_parent", None)):
                found.append(f'{line}: "{node.value}"')
        names = set()
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names |= {node.name, node.asname}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.keyword):
            names.add(node.arg)
        found += [f"{line}: {name}" for name in sorted(names & RAW_READER_NAMES)]
    return found


def template_findings(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for pattern in TEMPLATE_PATTERNS:
            found += [f"{number}: {match}" for match in pattern.findall(line)]
    return found


def all_findings() -> dict[str, list[str]]:
    findings = {}
    for relative, path in python_files():
        found = python_findings(path.read_text(encoding="utf-8"))
        if found:
            findings[relative] = found
    for relative, path in template_files():
        found = template_findings(path.read_text(encoding="utf-8"))
        if found:
            findings[relative] = found
    return findings


def test_no_role_test_outside_the_access_policy():
    """No module or template outside cap_portal/access.py names a role or reads the raw roles
    (allow-listed files aside)."""
    offending = {path: found for path, found in all_findings().items() if not is_allowed(path)}
    assert not offending, (
        "Role tests outside cap_portal/access.py: ask Model.access_policy or a named rule of "
        f"access.py instead. {offending}"
    )


def test_allow_list_is_not_stale():
    """Every allow-listed file still needs its entry: a cleaned-up file leaves the list."""
    findings = all_findings()
    stale = sorted(path for path in ALLOWED if path not in findings)
    assert not stale, f"remove these from ALLOWED in {__name__}: {stale}"


def test_the_guard_sees_role_tests():
    """The scanner flags the shapes of role test it guards against, and not field names."""
    flagged = python_findings(
        "from cap_portal.access import Role, get_user_roles\n"
        "a = Role.CASE_MANAGER\n"
        'b = "case_manager" in get_user_roles(user).global_roles\n'
        "c = roles.parties_for(x)\n"
        "d = held.is_secretariat\n"
        'e = {"ma_focal_point"}\n'
        'f = users.filter(cap_roles__role="donor_observer")\n'
    )
    assert len(flagged) >= 9, flagged
    assert not python_findings(
        'q = CapCase.objects.select_related("party", "case_manager")\n'
        'fields = ["party", "case_manager"]\n'
        'obj.save(update_fields=["case_manager"])\n'
        'self.fields["case_manager"].queryset = users\n'
    )
    assert template_findings("{% if cap_roles.is_secretariat or cap_roles.party_roles %}")
    assert template_findings("{% if role == 'sa_focal_point' %}")
    assert not template_findings('{% may "view" "cases.CapCase" as show_cases %}')
