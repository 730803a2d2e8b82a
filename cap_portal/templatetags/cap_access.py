"""Template tags that ask the access policy (cap_portal/access.py), so that a template shows a
menu entry or a button exactly when the view behind it would answer.

    {% load cap_access %}
    {% may "view" "cases.CapCase" as show_cases %}   {# some object of the model (menus) #}
    {% can "change" workplan as may_edit %}           {# this object (buttons) #}
"""

from django import template
from django.apps import apps

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def may(context, action: str, model_label: str) -> bool:
    """Whether the user may take ``action`` on some object of the model ("app_label.Model")."""
    model = apps.get_model(model_label)
    return model.access_policy.allows(_user(context), action)


@register.simple_tag(takes_context=True)
def can(context, action: str, obj) -> bool:
    """Whether the user may take ``action`` on this object."""
    return type(obj).access_policy.permits(_user(context), action, obj)
