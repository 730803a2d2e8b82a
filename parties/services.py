"""Writes for the Parties registry beyond plain CRUD: loading the CITES list, assigning roles."""

import csv
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cap_portal.access import forget_user_roles
from cap_portal.history import acting_user

from .models import Party, RoleAssignment

PARTIES_CSV = Path(__file__).resolve().parent / "data" / "cites_parties.csv"
LOCALIZED_NAME_COLUMNS = ("name_fr", "article_fr", "name_es", "article_es")


@transaction.atomic
def parties_load(*, path: Path = PARTIES_CSV, user=None) -> tuple[int, int]:
    """Create or update every Party listed in the CSV (code,name,name_fr,article_fr,name_es,
    article_es,region,ldc,lldc,sids,language).

    The French and Spanish columns are optional: a file without them leaves those names as they
    are. Idempotent: a second run changes nothing. Returns (created, updated).
    """
    created = updated = 0
    existing = {p.code.code: p for p in Party.objects.all()}
    with acting_user(user), path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {
                "name": row["name"].strip(),
                "region": row["region"].strip(),
                "is_ldc": row["ldc"].strip() == "1",
                "is_lldc": row["lldc"].strip() == "1",
                "is_sids": row["sids"].strip() == "1",
                "language": row["language"].strip(),
            }
            values.update({key: row[key].strip() for key in LOCALIZED_NAME_COLUMNS if key in row})
            code = row["code"].strip().upper()
            party = existing.get(code)
            if party is None:
                party = Party(code=code, **values)
                party.full_clean()
                party.save()
                created += 1
            elif any(getattr(party, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(party, key, value)
                party.full_clean()
                party.save()
                updated += 1
    return created, updated


@transaction.atomic
def role_assign(
    *, user, role: str, party: Party | None = None, donor=None, starts_on=None, by=None
) -> RoleAssignment:
    """Give ``user`` a role: for ``party`` when the role is Party-scoped, for ``donor`` when the
    user observes for a donor, from ``starts_on`` (today by default). Idempotent: a role not
    ended is left as it is (an end date ahead is cleared); an ended role is reopened from
    ``starts_on``, on the same row, whose history keeps the earlier period."""
    assignment = RoleAssignment.objects.filter(user=user, role=role, party=party, donor=donor).first()
    if assignment is None:
        assignment = RoleAssignment(user=user, role=role, party=party, donor=donor)
        if starts_on is not None:
            assignment.starts_on = starts_on
    elif assignment.ends_on is None:
        forget_user_roles(user)
        return assignment
    elif assignment.ends_on > timezone.localdate():
        assignment.ends_on = None  # still held: it simply no longer ends
    else:
        assignment.starts_on = starts_on or timezone.localdate()
        assignment.ends_on = None
    assignment.full_clean()
    with acting_user(by):
        assignment.save()
    forget_user_roles(user)
    return assignment


def user_create(*, username: str, password: str, first_name: str = "", last_name: str = "", email: str = ""):
    """Create a user, or reset the password of an existing one (demo and tests)."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.set_password(password)
    user.save()
    return user
