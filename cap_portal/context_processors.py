from django.utils.functional import SimpleLazyObject

from cap_portal.access import sees_portfolio_dashboard


def portal(request):
    """Answers of the access policy for navigation (what to show, never what to allow), computed
    only when a template reads them. Menus ask the policy through ``{% load cap_access %}``."""
    user = getattr(request, "user", None)
    return {"sees_portfolio_dashboard": SimpleLazyObject(lambda: sees_portfolio_dashboard(user))}
