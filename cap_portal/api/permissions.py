from rest_framework.permissions import BasePermission


class PolicyPermission(BasePermission):
    """Model level: 403 when the user's roles may never take this action on this model.

    Object level is not checked here: the viewset's queryset is already restricted to the
    objects the user may act on, so any other object answers 404.
    """

    def has_permission(self, request, view):
        model = view.get_model()
        return model.access_policy.allows(request.user, view.get_access_action())
