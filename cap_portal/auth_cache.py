"""The signed-in user and their roles, kept in the shared Django cache between requests.

Without it every request reads the session's user and the user's roles before any work (two
queries; the session itself is kept in the cache with ``SESSION_ENGINE`` ``cached_db``). For
``AUTH_CACHE_SECONDS`` the cache holds:

- ``cap:auth:user:<id>``, the session's user: used only when the session's auth hash matches it
  (as Django checks on every request) and the account is active; anything else falls back to
  Django's own ``get_user``;
- ``cap:auth:roles:<id>``, the user's roles (``cap_portal.access.get_user_roles``), for the day
  they were read on and for the account as it was (joined, active, superuser): a role that starts
  or ends at midnight, or another account under a reused id, reads them again.

:func:`forget_user` drops both the moment a role or the account changes: the services call it
(``cap_portal.access.forget_user_roles``), and so do signals on ``RoleAssignment`` and the user
model for writes made elsewhere (admin, shell). It leaves a short tombstone, set again when the
writer's transaction commits, in which no request may put back what it read before the commit.
API tokens are read from the database on each request (their row decides revoked, expired and
last use), with their user in the same query.

The cache must be shared by every process that serves or writes (Redis, ``REDIS_URL``): the
settings turn the cache off (``AUTH_CACHE_SECONDS = 0``) where it would be one process's memory.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

# What forget_user leaves for a while, so a request that read the old rows cannot cache them.
FORGOTTEN = "forgotten"
TOMBSTONE_SECONDS = 30


def enabled() -> bool:
    return settings.AUTH_CACHE_SECONDS > 0


def _user_key(user_id) -> str:
    return f"cap:auth:user:{user_id}"


def _roles_key(user_id) -> str:
    return f"cap:auth:roles:{user_id}"


def _remember(key: str, value) -> None:
    # ``add``: never over a tombstone (or a fresher entry another request just stored).
    cache.add(key, value, timeout=settings.AUTH_CACHE_SECONDS)


def _found(value):
    return None if value is None or value == FORGOTTEN else value


def forget_user(user_id) -> None:
    """Drop the cached user and roles of ``user_id`` now and again when the current transaction
    commits (the one invalidation: every write to a role or an account ends here)."""
    if user_id is None or not enabled():
        return
    tombstones = {_user_key(user_id): FORGOTTEN, _roles_key(user_id): FORGOTTEN}

    def bury():
        cache.set_many(tombstones, timeout=TOMBSTONE_SECONDS)

    bury()
    transaction.on_commit(bury)


# --- the roles ---------------------------------------------------------------------------------


def _roles_stamp(user) -> tuple:
    """What the cached roles were read for: the day (roles start and end at midnight) and the
    account (an id reused after a restore is another account)."""
    return (timezone.localdate(), user.date_joined, user.is_active, user.is_superuser)


def cached_roles(user):
    """The user's roles as cached, or ``None``."""
    if not enabled() or user.pk is None:
        return None
    return _valid_roles(user, cache.get(_roles_key(user.pk)))


def _valid_roles(user, entry):
    """The roles of a cache entry if it was read for ``user`` as it is now, else ``None``."""
    entry = _found(entry)
    if entry is None:
        return None
    stamp, roles = entry
    return roles if stamp == _roles_stamp(user) else None


def remember_roles(user, roles) -> None:
    if enabled() and user.pk is not None:
        _remember(_roles_key(user.pk), (_roles_stamp(user), roles))


# --- the session's user ----------------------------------------------------------------------


def _remember_user(user) -> None:
    clean = copy.copy(user)
    clean.__dict__.pop("_cap_roles", None)  # the roles have their own entry
    _remember(_user_key(user.pk), clean)


def session_user(request):
    """``django.contrib.auth.get_user`` with the user from the cache when the session's auth
    hash matches it (a changed password, a deactivated account or an unknown id falls back to
    Django's own checks, which end such a session)."""
    if not enabled():
        return auth.get_user(request)
    session = request.session
    try:
        user_id = auth.get_user_model()._meta.pk.to_python(session[auth.SESSION_KEY])
        backend_path = session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    session_hash = session.get(auth.HASH_SESSION_KEY)
    if session_hash and backend_path in settings.AUTHENTICATION_BACKENDS:
        # The user and their roles in one round trip (the roles are read by nearly every request).
        entries = cache.get_many([_user_key(user_id), _roles_key(user_id)])
        user = _found(entries.get(_user_key(user_id)))
        if (
            user is not None
            and user.is_active
            and constant_time_compare(session_hash, user.get_session_auth_hash())
        ):
            roles = _valid_roles(user, entries.get(_roles_key(user_id)))
            if roles is not None:
                user._cap_roles = roles  # as get_user_roles keeps them on the user
            return user
    user = auth.get_user(request)
    if user.is_authenticated:
        _remember_user(user)
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware``, reading the session's user through the cache."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: session_user(request))


# --- writes made outside the services ----------------------------------------------------------


def _role_changed(sender, instance, **kwargs):
    forget_user(instance.user_id)


def _account_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) == {"last_login"}:
        # Signing in notes the time: nothing about access changed, so no tombstone (the next
        # request may cache the account at once).
        if enabled():
            cache.delete(_user_key(instance.pk))
        return
    forget_user(instance.pk)


def connect_signals() -> None:
    """Called once from ``CapPortalConfig.ready``."""
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_role_changed, sender="parties.RoleAssignment", dispatch_uid=f"cap_auth_role_{name}")
        signal.connect(
            _account_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid=f"cap_auth_user_{name}"
        )
