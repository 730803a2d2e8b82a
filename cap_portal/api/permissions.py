from rest_framework.permissions import BasePermission

from cap_portal.access import holds_role


class PolicyPermission(BasePermission):
    """Model level: 403 when the user's roles may never take this action on this model, or never
    take this workflow step (the viewset's ``extra_action_roles``).

    Object level is not checked here: the viewset's queryset is already restricted to the
    objects the user may act on, so any other object answers 404.
    """

    def has_permission(self, request, view):
        model = view.get_model()
        if not model.access_policy.allows(request.user, view.get_access_action()):
            return False
        roles = view.extra_action_roles.get(view.action)
        return roles is None or holds_role(request.user, roles)
