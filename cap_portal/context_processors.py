from cap_portal.access import get_user_roles


def portal(request):
    """The signed-in user's roles, for navigation (what to show, never what to allow)."""
    user = getattr(request, "user", None)
    roles = get_user_roles(user) if user is not None else None
    return {"cap_roles": roles}
