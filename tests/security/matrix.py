"""The permission matrix: for every URL pattern of the portal (API and UI), the expected answer
to every role, for an object of the role's own Party and of another Party, for reading and for
writing. One table; tests/security/test_permission_matrix.py walks the URL configuration and
fails for any pattern missing here, so a new endpoint cannot ship unchecked.

Rules per role (case manager, Secretariat viewer, MA focal point, SA focal point, donor observer):
  A  allowed for any Party's object          O  allowed for the own Party's object only (404 other)
  N  never (403)                              H  hidden: 404 for own and other (not for this role)
  D  donor scope: allowed for what the observer's donor funds (the world funds the own Party's)
Anonymous users get 401 (API) or a redirect to sign in (UI), unless the endpoint is public.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.factories import AuthorityFactory, ContactFactory, new_party

ROLES = ["case_manager", "secretariat_viewer", "ma_focal_point", "sa_focal_point", "donor_observer"]


def r(cm: str, sv: str, ma: str, sa: str, do: str) -> dict[str, str]:
    return dict(zip(ROLES, (cm, sv, ma, sa, do), strict=True))


EVERYONE = r("A", "A", "A", "A", "A")
SECRETARIAT = r("A", "A", "N", "N", "N")
SECRETARIAT_AND_PARTY = r("A", "A", "O", "O", "N")
CASE_MANAGER = r("A", "N", "N", "N", "N")
MAINTAINERS = r("A", "N", "O", "N", "N")
# Pages of a Party that open for anyone who may add to some Party (saving checks the Party).
MAINTAINERS_ANY = r("A", "N", "A", "N", "N")


@dataclass
class Endpoint:
    """``obj(world, target)`` makes the object the URL points at (None: no object in the URL);
    ``kwargs(obj)`` turns it into URL kwargs (default: every URL kwarg read from the object, with
    ``code`` from its Party). ``read``/``write``: rules per role, None when the method is not
    offered. ``write_method``: the method used to probe writing. ``public``: anonymous allowed."""

    obj: Callable | None = None
    read: dict[str, str] | None = None
    write: dict[str, str] | None = None
    write_method: str = "post"
    kwargs: Callable | None = None
    public: bool = False
    write_data: dict = field(default_factory=dict)
    signs_out: bool = False  # its answer is a redirect to the sign-in page


def party(world, target):
    return world.party(target)


def spare_party(world, target):
    """A Party with no dependants, safe to delete."""
    return new_party()


def authority(world, target):
    return AuthorityFactory(party=world.party(target))


def contact(world, target):
    return ContactFactory(party=world.party(target))


def donor(world, target):
    return {"own": world.donor, "other": world.other_donor}[target]


def by_code(obj):
    return {"code": str(obj.code)}


# --- the table ------------------------------------------------------------------------------------

MATRIX: dict[str, Endpoint] = {
    # Site
    "home": Endpoint(read=EVERYONE),
    "login": Endpoint(read=EVERYONE, public=True),
    "logout": Endpoint(read=None, write=EVERYONE, public=True, signs_out=True),
    "set_language": Endpoint(read=None, write=EVERYONE, public=True, write_data={"language": "fr"}),
    "healthz": Endpoint(read=EVERYONE, public=True),
    "schema": Endpoint(read=EVERYONE),
    "swagger-ui": Endpoint(read=EVERYONE),
    # API: account
    "api:api-root": Endpoint(read=EVERYONE),
    "api:me": Endpoint(read=EVERYONE),
    "api:token": Endpoint(read=None, write=EVERYONE, public=True),
    # API: Parties registry
    "api:party-list": Endpoint(read=EVERYONE, write=CASE_MANAGER),
    "api:party-detail": Endpoint(
        obj=spare_party, kwargs=by_code, read=EVERYONE, write=CASE_MANAGER, write_method="delete"
    ),
    "api:party-history": Endpoint(obj=party, kwargs=by_code, read=EVERYONE),
    "api:authority-list": Endpoint(read=SECRETARIAT_AND_PARTY, write=MAINTAINERS),
    "api:authority-detail": Endpoint(
        obj=authority, read=SECRETARIAT_AND_PARTY, write=MAINTAINERS, write_method="patch"
    ),
    "api:authority-history": Endpoint(obj=authority, read=SECRETARIAT_AND_PARTY),
    "api:contact-list": Endpoint(read=SECRETARIAT_AND_PARTY, write=MAINTAINERS),
    "api:contact-detail": Endpoint(
        obj=contact, read=SECRETARIAT_AND_PARTY, write=MAINTAINERS, write_method="delete"
    ),
    "api:contact-history": Endpoint(obj=contact, read=SECRETARIAT_AND_PARTY),
    "api:donor-list": Endpoint(read=EVERYONE, write=CASE_MANAGER),
    "api:donor-detail": Endpoint(obj=donor, read=EVERYONE, write=CASE_MANAGER, write_method="patch"),
    "api:donor-history": Endpoint(obj=donor, read=EVERYONE),
    # UI: Parties registry
    "parties:party_list": Endpoint(read=EVERYONE),
    "parties:party_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "parties:party_detail": Endpoint(obj=party, kwargs=by_code, read=EVERYONE),
    "parties:party_edit": Endpoint(obj=party, kwargs=by_code, read=CASE_MANAGER, write=CASE_MANAGER),
    # Adding to a Party: the form opens for any Party the user may add to somewhere; saving into
    # another Party is refused with a form error (checked in tests/parties), so the probe here
    # is the page itself.
    "parties:authority_add": Endpoint(obj=party, kwargs=by_code, read=MAINTAINERS_ANY),
    "parties:authority_edit": Endpoint(obj=authority, read=MAINTAINERS, write=MAINTAINERS),
    "parties:authority_delete": Endpoint(obj=authority, read=MAINTAINERS, write=MAINTAINERS),
    "parties:contact_add": Endpoint(obj=party, kwargs=by_code, read=MAINTAINERS_ANY),
    "parties:contact_edit": Endpoint(obj=contact, read=MAINTAINERS, write=MAINTAINERS),
    "parties:contact_delete": Endpoint(obj=contact, read=MAINTAINERS, write=MAINTAINERS),
}

# URL name prefixes checked by a rule of their own (see the test module).
ADMIN_PREFIX = "admin:"


# Rows for the other apps live beside this file, one module, merged here.
from .matrix_apps import APP_ROWS  # noqa: E402

MATRIX.update(APP_ROWS)

from .matrix_dashboard import DASHBOARD_ROWS  # noqa: E402

MATRIX.update(DASHBOARD_ROWS)
