"""Permission-matrix rows for people, roles and invitations (accounts app, /people/ and the
people API). Merged into MATRIX by tests/security/matrix.py; see its docstring for the rules.

- the Secretariat reads who holds which role and the invitations; case managers write;
  focal points and donor observers get 403 everywhere here;
- "own" and "other" are two people (or their roles, or two invitations): no Party decides;
- the acceptance page of an invitation is public: the link's secret is the credential. A POST
  with no input answers 400 (a form error), for anyone.
"""

from accounts import services
from cap_portal.access import Role
from parties.models import RoleAssignment
from parties.services import role_assign, user_create

from .matrix import CASE_MANAGER, EVERYONE, SECRETARIAT, Endpoint, crud_rows


def person(world, target):
    """Someone other than the prober (the case manager may not deactivate themselves)."""
    return {"own": world.users["ma_focal_point"], "other": world.users["sa_focal_point"]}[target]


def _party(world, target):
    """The other Party for "other"; the own Party for "own" and for the query-budget rows
    (tests/performance), whose targets are serial names."""
    return world.other if target == "other" else world.own


def spare_person(world, target):
    user = user_create(username=f"matrix-{target}", password="matrix-probe", email=f"{target}@example.org")
    role_assign(user=user, role=Role.SA_FOCAL_POINT, party=_party(world, target))
    return user


def role_assignment(world, target):
    user = spare_person(world, target)
    return RoleAssignment.objects.get(user=user)


def invitation(world, target):
    made, secret = services.invitation_create(
        email=f"invited-{target}@example.org",
        role=Role.SA_FOCAL_POINT,
        party=_party(world, target),
        language="en",
        by=world.users["case_manager"],
    )
    made._secret = secret
    return made


def by_pk(obj):
    return {"pk": obj.pk}


def by_secret(obj):
    return {"secret": obj._secret}


PEOPLE_ROWS: dict = {
    # API: plain CRUD rows from tests/access_expectations.py. Roles are ended with PATCH (an
    # empty body is a 400 on ends_on); invitations are never patched (405), so their detail
    # row is read only.
    **crud_rows("parties.RoleAssignment", role_assignment, api="roleassignment"),
    **crud_rows("accounts.Invitation", invitation, api="invitation"),
    "api:invitation-detail": Endpoint(obj=invitation, read=SECRETARIAT, exact=True),
    "api:invitation-revoke": Endpoint(obj=invitation, write=CASE_MANAGER),
    "api:invitation-resend": Endpoint(obj=invitation, write=CASE_MANAGER),
    "api:person-list": Endpoint(read=SECRETARIAT, exact=True),
    "api:person-detail": Endpoint(obj=person, kwargs=by_pk, read=SECRETARIAT),
    # UI
    "people:person_list": Endpoint(read=SECRETARIAT, exact=True),
    "people:person_detail": Endpoint(obj=person, kwargs=by_pk, read=SECRETARIAT, exact=True),
    "people:role_grant": Endpoint(obj=person, kwargs=by_pk, read=CASE_MANAGER, write=CASE_MANAGER),
    "people:role_end": Endpoint(obj=role_assignment, kwargs=by_pk, read=CASE_MANAGER, write=CASE_MANAGER),
    "people:person_deactivate": Endpoint(obj=spare_person, kwargs=by_pk, write=CASE_MANAGER),
    "people:person_reactivate": Endpoint(obj=spare_person, kwargs=by_pk, write=CASE_MANAGER),
    "people:invitation_list": Endpoint(read=SECRETARIAT, exact=True),
    "people:invitation_add": Endpoint(read=CASE_MANAGER, write=CASE_MANAGER),
    "people:invitation_resend": Endpoint(obj=invitation, kwargs=by_pk, write=CASE_MANAGER),
    "people:invitation_revoke": Endpoint(obj=invitation, kwargs=by_pk, write=CASE_MANAGER),
    "people:invitation_accept": Endpoint(
        obj=invitation, kwargs=by_secret, read=EVERYONE, write=EVERYONE, public=True
    ),
}
