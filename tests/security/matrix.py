"""The permission matrix: for every URL pattern of the portal (API and UI), the expected answer
to every role, for an object of the role's own Party and of another Party, for reading and for
writing. One table; tests/security/test_permission_matrix.py walks the URL configuration and
fails for any pattern missing here, so a new endpoint cannot ship unchecked.

Rules per role (case manager, Secretariat viewer, MA focal point, SA focal point, donor observer):
  A  allowed for any Party's object          O  allowed for the own Party's object only (404 other)
  N  never (403)                              H  hidden: 404 for own and other (not for this role)
  D  donor scope: allowed for what the observer's donor funds (the world funds the own Party's)
Anonymous users get 401 (API) or a redirect to sign in (UI), unless the endpoint is public.

The rows of a model's plain CRUD URLs (API list, detail and history; UI list, detail, edit and
delete pages) are made by ``crud_rows()`` from the model's entry in tests/access_expectations.py,
the table the CRUD mixins read too; the other rows (workflow steps, exports, downloads, add pages
under a parent, other pages) are written out here and in matrix_apps.py / matrix_dashboard.py.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.access_expectations import ALL, EXPECTED, NONE, OWN
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
    offered. ``write_method``: the method used to probe writing. ``public``: anonymous allowed.
    ``exact``: an allowed read answers 200, and an API detail the object itself (the plain CRUD
    rows of ``crud_rows``, which the CRUD mixins then need not probe again)."""

    obj: Callable | None = None
    read: dict[str, str] | None = None
    write: dict[str, str] | None = None
    write_method: str = "post"
    kwargs: Callable | None = None
    public: bool = False
    write_data: dict = field(default_factory=dict)
    signs_out: bool = False  # its answer is a redirect to the sign-in page
    exact: bool = False


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


def api_token(world, target):
    """An API token of a person who holds no role (``target`` makes no difference)."""
    from accounts.tokens import token_create
    from parties.services import user_create

    holder = user_create(username=f"token-holder-{target}", password="unused-Pa55word")
    return token_create(user=holder, name=f"probe {holder.api_tokens.count()}")[0]


# Another person's API token: case managers see and revoke everyone's; others get 404.
TOKEN_KEEPERS = r("A", "H", "H", "H", "H")


def by_code(obj):
    return {"code": str(obj.code)}


_LETTERS = {ALL: "A", OWN: "O", NONE: "N"}


def expected_rules(label: str, action: str) -> dict[str, str]:
    """A model's rules for one action (tests/access_expectations.py), as the matrix's letters."""
    return {role: _LETTERS[rule] for role, rule in EXPECTED[label][action].items()}


def crud_rows(
    label: str,
    obj: Callable,
    *,
    api: str | None = None,
    detail_method: str = "patch",
    detail_obj: Callable | None = None,
    kwargs: Callable | None = None,
    ui_list: str | None = None,
    ui_detail: str | None = None,
    ui_edit: str | None = None,
    ui_delete: str | None = None,
) -> dict[str, Endpoint]:
    """The rows of a model's plain CRUD URLs, from its entry in tests/access_expectations.py.

    API (router basename ``api``): the list is read with *view* and written (POST) with *add*;
    the detail is read with *view* and written with *change* (PATCH) or *delete* (DELETE, then
    made by ``detail_obj`` when given); the history is read with *view*. UI: the list and detail
    pages are read with *view*, the edit page read and written with *change*, the delete page
    with *delete*. ``obj(world, target)`` makes the object; ``kwargs(obj)`` its URL kwargs.
    """
    view, add = expected_rules(label, "view"), expected_rules(label, "add")
    change, delete = expected_rules(label, "change"), expected_rules(label, "delete")
    rows = {}
    if api:
        detail_write = delete if detail_method == "delete" else change
        rows[f"api:{api}-list"] = Endpoint(read=view, write=add)
        rows[f"api:{api}-detail"] = Endpoint(
            obj=detail_obj or obj, kwargs=kwargs, read=view, write=detail_write, write_method=detail_method
        )
        rows[f"api:{api}-history"] = Endpoint(obj=obj, kwargs=kwargs, read=view)
    if ui_list:
        rows[ui_list] = Endpoint(read=view)
    if ui_detail:
        rows[ui_detail] = Endpoint(obj=obj, kwargs=kwargs, read=view)
    if ui_edit:
        rows[ui_edit] = Endpoint(obj=obj, kwargs=kwargs, read=change, write=change)
    if ui_delete:
        rows[ui_delete] = Endpoint(obj=obj, kwargs=kwargs, read=delete, write=delete)
    for row in rows.values():
        row.exact = True
    return rows


# --- the table ------------------------------------------------------------------------------------

MATRIX: dict[str, Endpoint] = {
    # Site
    "home": Endpoint(read=EVERYONE),
    "login": Endpoint(read=EVERYONE, public=True),
    "logout": Endpoint(read=None, write=EVERYONE, public=True, signs_out=True),
    "set_language": Endpoint(read=None, write=EVERYONE, public=True, write_data={"language": "fr"}),
    "healthz": Endpoint(read=EVERYONE, public=True),
    "help_index": Endpoint(read=EVERYONE),
    "help_page": Endpoint(
        obj=lambda world, target: "selection", kwargs=lambda slug: {"slug": slug}, read=EVERYONE
    ),
    "schema": Endpoint(read=EVERYONE),
    "swagger-ui": Endpoint(read=EVERYONE),
    # API: account
    "api:api-root": Endpoint(read=EVERYONE),
    "api:me": Endpoint(read=EVERYONE),
    "api:token": Endpoint(read=None, write=EVERYONE, public=True),
    # API tokens: every user manages their own (tests/accounts/test_api_tokens.py); the token
    # probed here is another person's, which only case managers see and revoke.
    "tokens:token_list": Endpoint(read=EVERYONE),
    "tokens:token_add": Endpoint(read=EVERYONE, write=EVERYONE),
    "tokens:token_revoke": Endpoint(obj=api_token, read=TOKEN_KEEPERS, write=TOKEN_KEEPERS),
    "api:apitoken-list": Endpoint(read=EVERYONE, write=EVERYONE),
    "api:apitoken-detail": Endpoint(
        obj=api_token, read=TOKEN_KEEPERS, write=TOKEN_KEEPERS, write_method="delete"
    ),
    "api:apitoken-history": Endpoint(obj=api_token, read=TOKEN_KEEPERS),
    "api:apitoken-revoke": Endpoint(obj=api_token, read=None, write=TOKEN_KEEPERS),
    # Parties registry: plain CRUD rows from tests/access_expectations.py. A Party probed with
    # DELETE is a spare one, with no dependants.
    **crud_rows(
        "parties.Party",
        party,
        kwargs=by_code,
        api="party",
        detail_obj=spare_party,
        detail_method="delete",
        ui_list="parties:party_list",
        ui_detail="parties:party_detail",
        ui_edit="parties:party_edit",
    ),
    **crud_rows(
        "parties.Authority",
        authority,
        api="authority",
        ui_edit="parties:authority_edit",
        ui_delete="parties:authority_delete",
    ),
    **crud_rows(
        "parties.Contact",
        contact,
        api="contact",
        detail_method="delete",
        ui_edit="parties:contact_edit",
        ui_delete="parties:contact_delete",
    ),
    **crud_rows("parties.Donor", donor, api="donor"),
    "parties:party_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    # Adding to a Party: the form opens for any Party the user may add to somewhere; saving into
    # another Party is refused with a form error (checked in tests/parties), so the probe here
    # is the page itself.
    "parties:authority_add": Endpoint(obj=party, kwargs=by_code, read=MAINTAINERS_ANY),
    "parties:contact_add": Endpoint(obj=party, kwargs=by_code, read=MAINTAINERS_ANY),
}

# URL name prefixes checked by a rule of their own (see the test module).
ADMIN_PREFIX = "admin:"


# Rows for the other apps live beside this file, one module, merged here.
from .matrix_apps import APP_ROWS  # noqa: E402

MATRIX.update(APP_ROWS)

from .matrix_dashboard import DASHBOARD_ROWS  # noqa: E402

MATRIX.update(DASHBOARD_ROWS)

from .matrix_people import PEOPLE_ROWS  # noqa: E402

MATRIX.update(PEOPLE_ROWS)

from .matrix_accounts import ACCOUNTS_ROWS  # noqa: E402

MATRIX.update(ACCOUNTS_ROWS)

from .matrix_statements import STATEMENT_ROWS  # noqa: E402

MATRIX.update(STATEMENT_ROWS)

from .matrix_iati import IATI_ROWS  # noqa: E402

MATRIX.update(IATI_ROWS)
