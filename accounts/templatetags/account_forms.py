"""``{{ form|bootstrap }}``: django-allauth's forms (built by allauth, not by the portal's form
classes) with the Bootstrap classes the portal's own forms put on their widgets."""

from django import template

from accounts.signin import bootstrap_widgets

register = template.Library()


@register.filter
def bootstrap(form):
    return bootstrap_widgets(form)
