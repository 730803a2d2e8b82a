"""The Parties registry's services record the acting user in the history through
``cap_portal.history.acting_user``, like every other service, and leave no user behind."""

import re
from pathlib import Path

import pytest

from cap_portal.access import Role
from parties.models import Party, RoleAssignment
from parties.services import parties_load, role_assign, user_create

ROOT = Path(__file__).resolve().parents[2]
HEADER = "code,name,region,ldc,lldc,sids,language\n"


def write_parties(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_loading_the_parties_names_the_user_on_created_and_updated_records(tmp_path):
    """A created Party and an updated one both name the user who loaded the list; a Party saved
    afterwards, outside the load, names nobody (the user does not leak out of the service)."""
    loader = user_create(username="loader", password="pw-loader")
    csv = write_parties(tmp_path / "parties.csv", "TG,Togo,africa,1,0,0,fr", "NG,Nigeria,africa,0,0,0,en")
    assert parties_load(path=csv, user=loader) == (2, 0)
    write_parties(csv, "TG,Togolese Republic,africa,1,0,0,fr", "NG,Nigeria,africa,0,0,0,en")
    assert parties_load(path=csv, user=loader) == (0, 1)

    togo = Party.objects.get(code="TG")
    assert [(r.history_type, r.history_user) for r in togo.history.order_by("history_id")] == [
        ("+", loader),
        ("~", loader),
    ]
    assert Party.objects.get(code="NG").history.get().history_user == loader
    togo.name = "Togo"
    togo.save()
    assert togo.history.order_by("-history_id").first().history_user is None


@pytest.mark.django_db
def test_assigning_a_role_names_who_assigned_it():
    """The role assignment's history names ``by``, the user who gave the role."""
    admin = user_create(username="admin-user", password="pw-admin")
    user = user_create(username="viewer-user", password="pw-viewer")
    assignment = role_assign(user=user, role=Role.SECRETARIAT_VIEWER, by=admin)
    assert RoleAssignment.history.get(id=assignment.pk).history_user == admin


def test_no_service_sets_the_history_user_by_hand():
    """``_history_user`` and a ``_stamp`` helper appear nowhere outside ``cap_portal/history.py``:
    the acting user is recorded by the middleware or ``acting_user``, in one place."""
    pattern = re.compile(r"\._history_user\b|\bdef _stamp\b|\b_stamp\(")
    offenders = []
    skipped = {".venv", ".git", "node_modules", "tests"}
    top = [p for p in ROOT.iterdir() if p.is_dir() and p.name not in skipped]
    for path in sorted(p for folder in top for p in folder.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative == Path("cap_portal/history.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
