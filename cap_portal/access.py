"""Who may do what: the one permission mechanism of the portal.

Every domain model declares an :class:`AccessPolicy`: which roles may view, add, change and
delete it, and the lookup path from the model to its Party. ``Model.objects.restrict(user,
action)`` turns the policy into a queryset filter; the base UI views and the base API viewsets
apply it, so nothing is re-checked by hand in a view. An object outside the restricted queryset
answers 404; a role that may never take an action on a model answers 403.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DOMAIN.md. Secretariat roles are global; the others are held for a Party."""

    CASE_MANAGER = "case_manager", _("Secretariat case manager")
    SECRETARIAT_VIEWER = "secretariat_viewer", _("Secretariat viewer")
    MA_FOCAL_POINT = "ma_focal_point", _("Management Authority focal point")
    SA_FOCAL_POINT = "sa_focal_point", _("Scientific Authority / enforcement focal point")
    DONOR_OBSERVER = "donor_observer", _("Donor observer")


# The role sets of the portal, declared here and nowhere else (policies, workflow tables,
# services and templates name these sets; no other file spells a role).
CASE_MANAGER_ROLES = frozenset({Role.CASE_MANAGER})
SECRETARIAT_ROLES = frozenset({Role.CASE_MANAGER, Role.SECRETARIAT_VIEWER})
MA_ROLES = frozenset({Role.MA_FOCAL_POINT})
SA_ROLES = frozenset({Role.SA_FOCAL_POINT})
PARTY_ROLES = MA_ROLES | SA_ROLES
DONOR_ROLES = frozenset({Role.DONOR_OBSERVER})
# Who plans (writes a workplan, its budget, its Party's records) and who reports progress.
PLANNER_ROLES = CASE_MANAGER_ROLES | MA_ROLES
REPORTER_ROLES = PLANNER_ROLES | SA_ROLES
# Readers: the Secretariat and the Party's focal points; plans and funding also their donors.
READER_ROLES = SECRETARIAT_ROLES | PARTY_ROLES
FUNDED_READER_ROLES = READER_ROLES | DONOR_ROLES
ALL_ROLES = frozenset(Role)
# Roles held globally (no Party, no donor), Party-scoped roles and donor-scoped roles.
GLOBAL_ROLES = SECRETARIAT_ROLES
# A Party's authorities and contacts are kept up to date by the case managers and by the Party's
# MA focal point (the MA speaks for the Party to the Secretariat; the SA does not maintain them).
PARTY_RECORD_MAINTAINER_ROLES = CASE_MANAGER_ROLES | MA_ROLES
# Budget lines and expenditure are written by those who plan the workplan they cost: the case
# manager and the Party's MA focal point. Funding agreements stay with case managers.
BUDGET_WRITER_ROLES = PLANNER_ROLES
# Comments on a CAP case: case managers and the Party's focal points post; the Secretariat
# viewer reads only.
COMMENTER_ROLES = CASE_MANAGER_ROLES | PARTY_ROLES
# The choices of the role field (parties.RoleAssignment).
ROLE_CHOICES = Role.choices


class Action(models.TextChoices):
    VIEW = "view", _("view")
    ADD = "add", _("add")
    CHANGE = "change", _("change")
    DELETE = "delete", _("delete")


ACTION_FOR_METHOD = {
    "GET": Action.VIEW,
    "HEAD": Action.VIEW,
    "OPTIONS": Action.VIEW,
    "POST": Action.ADD,
    "PUT": Action.CHANGE,
    "PATCH": Action.CHANGE,
    "DELETE": Action.DELETE,
}


@dataclass(frozen=True)
class UserRoles:
    """The roles a user holds: global roles, and Party-scoped roles with their Party ids."""

    global_roles: frozenset[str]
    party_roles: dict[str, frozenset[int]]
    donor_ids: frozenset[int] = frozenset()

    def parties_for(self, roles) -> set[int]:
        ids: set[int] = set()
        for role in roles:
            ids |= self.party_roles.get(role, frozenset())
        return ids

    @property
    def is_secretariat(self) -> bool:
        return bool(self.global_roles & SECRETARIAT_ROLES)


def get_user_roles(user) -> UserRoles:
    """The user's roles, read once per user object (one query) and cached on it, and between
    requests in the shared cache (``cap_portal.auth_cache``) until a role or the account changes."""
    if not getattr(user, "is_authenticated", False):
        return UserRoles(frozenset(), {})
    cached = getattr(user, "_cap_roles", None)
    if cached is not None:
        return cached
    from cap_portal import auth_cache
    from parties.models import RoleAssignment

    cached = auth_cache.cached_roles(user)
    if cached is not None:
        user._cap_roles = cached
        return cached

    global_roles: set[str] = set()
    party_roles: dict[str, set[int]] = defaultdict(set)
    donor_ids: set[int] = set()
    if user.is_superuser:
        global_roles.add(Role.CASE_MANAGER)
    if not user.is_active:
        return UserRoles(frozenset(), {})
    assignments = (
        RoleAssignment.objects.current().filter(user=user).values_list("role", "party_id", "donor_id")
    )
    for role, party_id, donor_id in assignments:
        if role == Role.DONOR_OBSERVER:
            if donor_id is not None:
                donor_ids.add(donor_id)
        elif party_id is None:
            global_roles.add(role)
        else:
            party_roles[role].add(party_id)
    roles = UserRoles(
        frozenset(global_roles), {k: frozenset(v) for k, v in party_roles.items()}, frozenset(donor_ids)
    )
    user._cap_roles = roles
    auth_cache.remember_roles(user, roles)
    return roles


class NoParty(Enum):
    """The Party of a record that should belong to one but has none yet: no Party role holds
    for it, only the global ones (``holds_role(user, roles, NO_PARTY)``)."""

    NO_PARTY = "no Party"


NO_PARTY = NoParty.NO_PARTY


def holds_role(user, roles, party_id: int | NoParty | None = None) -> bool:
    """Whether the user holds one of ``roles`` globally, or as a Party role: for the Party
    ``party_id`` when given, else for at least one Party; for :data:`NO_PARTY`, globally only.
    The one role test of the portal.

    Without ``party_id`` it is the model-level test of a workflow step (approve, review…): a user
    who may never take the step answers 403 before the object is looked up, as for
    create/change/delete; a user who may take it for some Party then gets 404 for objects outside
    what they see. With ``party_id`` it is the object-level test.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    held = get_user_roles(user)
    if held.global_roles & roles:
        return True
    if party_id is NO_PARTY:
        return False
    if party_id is None:
        return bool(held.parties_for(roles))
    return party_id in held.parties_for(roles)


# --- Named rules: questions that are not about one model's objects -----------------------------


def is_global_role(role) -> bool:
    """Whether the role is held globally, for no Party and no donor (the Secretariat's)."""
    return role in GLOBAL_ROLES


def is_party_role(role) -> bool:
    """Whether the role is held for one Party (the focal points')."""
    return role in PARTY_ROLES


def is_donor_role(role) -> bool:
    """Whether the role is held for one donor (the donor observer's)."""
    return role in DONOR_ROLES


def sees_portfolio_dashboard(user) -> bool:
    """The Secretariat (case managers and viewers) sees the whole CAP portfolio on its home page,
    and exports it; everyone else's home page shows their own Parties."""
    return get_user_roles(user).is_secretariat


def sees_donor_home(user) -> bool:
    """A donor observer (and no Secretariat or Party role) has a home page of what its donor
    funds (statements.views.home); everyone else's is the dashboard or "my Party"."""
    roles = get_user_roles(user)
    return bool(roles.donor_ids) and not roles.global_roles and not any(roles.party_roles.values())


def party_ids_held(user, roles=PARTY_ROLES) -> frozenset[int]:
    """The ids of the Parties for which the user holds one of ``roles`` ("my Parties" by
    default: those the user is a focal point for). Global roles name no Party."""
    return frozenset(get_user_roles(user).parties_for(roles))


def users_holding(roles):
    """The users who hold one of ``roles`` globally (e.g. the case managers a CAP case may be
    given to), as a User queryset (each user once)."""
    from django.contrib.auth import get_user_model

    from parties.models import RoleAssignment

    holders = RoleAssignment.objects.current().filter(
        role__in=list(roles), party__isnull=True, donor__isnull=True
    )
    return get_user_model().objects.filter(pk__in=holders.values("user_id"))


def forget_user_roles(user) -> None:
    """Drop the cached roles and account after they change, on this object and in the shared
    cache (services that assign roles or change an account call this; signals catch the rest)."""
    from cap_portal import auth_cache

    if hasattr(user, "_cap_roles"):
        del user._cap_roles
    auth_cache.forget_user(user.pk)


@dataclass(frozen=True)
class AccessPolicy:
    """Which roles may take each action on a model, and how the model reaches its Party.

    ``party_path`` is the ORM lookup from the model to ``parties.Party`` ("party",
    "workplan__cap_case__party"; "" for Party itself). Global roles (the Secretariat) act on
    every object; Party roles act on objects of the Parties they hold the role for.
    ``donor_path`` is the lookup from the model to ``parties.Donor`` (e.g.
    "cap_case__legal_instruments__funding_sources__donor"): donor observers, when their role is
    allowed for the action, act on the objects their donors fund.
    ``public_view`` lets every signed-in user view every object (e.g. the Parties registry).
    ``public_q`` lets every signed-in user view the objects matching it (e.g. ``Q(status="final")``
    for published reports); the roles in ``view`` still see every object. View only.
    ``owner_path`` is the lookup from the model to the user who owns an object (e.g. "user" for
    a person's own API tokens): every signed-in user takes every action on what they own,
    whatever their roles; the roles in ``view``… still act on everyone's.
    """

    party_path: str | None
    view: frozenset = field(default_factory=frozenset)
    add: frozenset = field(default_factory=frozenset)
    change: frozenset = field(default_factory=frozenset)
    delete: frozenset = field(default_factory=frozenset)
    public_view: bool = False
    public_q: Q | None = None
    donor_path: str | None = None
    owner_path: str | None = None

    @classmethod
    def written_by(cls, writers: frozenset, **policy) -> AccessPolicy:
        """The policy of a model whose ``writers`` add, change and delete alike; ``policy`` gives
        the rest (``party_path``, ``view``…)."""
        return cls(add=writers, change=writers, delete=writers, **policy)

    def roles_for(self, action: str) -> frozenset:
        return getattr(self, str(action))

    def allows(self, user, action: str) -> bool:
        """Whether the user may take the action on some object of the model (model level)."""
        if not getattr(user, "is_authenticated", False):
            return False
        if action == Action.VIEW and (self.public_view or self.public_q is not None):
            return True
        if self.owner_path is not None:
            return True
        roles = get_user_roles(user)
        allowed = self.roles_for(action)
        if roles.global_roles & allowed:
            return True
        if self._donor_scope(roles, allowed):
            return True
        return bool(self.party_path is not None and roles.parties_for(allowed))

    def _donor_scope(self, roles: UserRoles, allowed) -> bool:
        return bool(self.donor_path and Role.DONOR_OBSERVER in allowed and roles.donor_ids)

    def q(self, user, action: str, model=None) -> Q | None:
        """The filter on the model for the user and action; ``None`` when nothing is allowed.

        The clauses a user qualifies for are OR-ed: their Parties' objects, the objects their
        donors fund (``model`` needed), and ``public_q`` for viewing.
        """
        if not getattr(user, "is_authenticated", False):
            return None
        if action == Action.VIEW and self.public_view:
            return Q()
        roles = get_user_roles(user)
        allowed = self.roles_for(action)
        if roles.global_roles & allowed:
            return Q()
        clauses = []
        party_ids = roles.parties_for(allowed) if self.party_path is not None else set()
        if party_ids:
            lookup = f"{self.party_path}__in" if self.party_path else "pk__in"
            clauses.append(Q(**{lookup: sorted(party_ids)}))
        if model is not None and self._donor_scope(roles, allowed):
            clauses.append(self._donor_q(model, roles))
        if action == Action.VIEW and self.public_q is not None:
            clauses.append(self.public_q)
        if self.owner_path is not None:
            clauses.append(Q(**{self.owner_path: user}))
        if not clauses:
            return None
        combined = clauses[0]
        for clause in clauses[1:]:
            combined |= clause
        return combined

    def _donor_q(self, model, roles: UserRoles) -> Q:
        # A subquery, so that a path through many-to-many relations does not duplicate rows.
        funded = model._default_manager.filter(**{f"{self.donor_path}__in": sorted(roles.donor_ids)})
        return Q(pk__in=funded.values("pk"))

    def party_of(self, obj):
        """The Party an object (saved or not) belongs to, following ``party_path``."""
        if self.party_path is None:
            return None
        if self.party_path == "":
            return obj
        current = obj
        for part in self.party_path.split("__"):
            current = getattr(current, part, None)
            if current is None:
                return None
        return current

    def _owner_of(self, obj):
        current = obj
        for part in self.owner_path.split("__"):
            current = getattr(current, part, None)
            if current is None:
                return None
        return current

    def permits(self, user, action: str, obj) -> bool:
        """Whether the user may take the action on this object, saved or about to be saved."""
        if not self.allows(user, action):
            return False
        roles = get_user_roles(user)
        if action == Action.VIEW and self.public_view:
            return True
        if roles.global_roles & self.roles_for(action):
            return True
        if self.owner_path is not None and self._owner_of(obj) == user:
            return True
        if action == Action.VIEW and self.public_q is not None and obj.pk is not None:
            if type(obj)._default_manager.filter(self.public_q, pk=obj.pk).exists():
                return True
        if obj.pk is not None and self._donor_scope(roles, self.roles_for(action)):
            if type(obj)._default_manager.filter(self._donor_q(type(obj), roles), pk=obj.pk).exists():
                return True
        party = self.party_of(obj)
        return party is not None and party.pk in roles.parties_for(self.roles_for(action))


def restriction_key(user, model, action: str = Action.VIEW) -> tuple:
    """What ``model.objects.restrict(user, action)`` depends on, as a hashable key: two requests
    with the same key get the same restriction (the API keeps a list's page query per key,
    ``cap_portal.api.prepared``). A model anyone signed in may view, restricted by the policy
    alone, depends on nothing but being signed in (its roles are not read); any other on the
    user and their roles."""
    signed_in = bool(getattr(user, "is_authenticated", False))
    policy = model.access_policy
    restrict = type(model._default_manager.all()).restrict
    if action == Action.VIEW and policy.public_view and restrict is RestrictedQuerySet.restrict:
        return (signed_in,)
    roles = get_user_roles(user)
    parties = tuple(sorted((role, tuple(sorted(ids))) for role, ids in roles.party_roles.items()))
    return (signed_in, user.pk, roles.global_roles, parties, roles.donor_ids)


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what a user may see or touch."""

    def restrict(self, user, action: str = Action.VIEW):
        q = self.model.access_policy.q(user, action, model=self.model)
        if q is None:
            return self.none()
        return self.filter(q)
