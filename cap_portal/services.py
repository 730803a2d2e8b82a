"""Generic writes shared by every app: validate the whole object, save it, record who did it.

Domain services (``workplan_submit`` and the like) live in each app's ``services.py``; plain
create/update/delete of a record goes through these three, from the API and the UI alike. The
acting user is named on the history through :func:`cap_portal.history.acting_user` (the same
user the request middleware names; outside a request, the only one).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

from cap_portal.history import acting_user
from cap_portal.models import BaseModel


@transaction.atomic
def object_create(*, model: type[BaseModel], user, data: dict) -> BaseModel:
    """Create ``model`` from cleaned ``data``; model validation runs first, nothing is written on error."""
    many = {k: data.pop(k) for k in list(data) if _is_m2m(model, k)}
    instance = model(**data)
    instance.full_clean()
    with acting_user(user):
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
    return instance


@transaction.atomic
def object_update(*, instance: BaseModel, user, data: dict) -> BaseModel:
    """Apply ``data`` to ``instance``; model validation runs first, nothing is written on error."""
    many = {k: data.pop(k) for k in list(data) if _is_m2m(type(instance), k)}
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    with acting_user(user):
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
    return instance


@transaction.atomic
def object_delete(*, instance: BaseModel, user) -> None:
    """Delete ``instance``, recording who deleted it in its history."""
    with acting_user(user):
        instance.delete()


def _is_m2m(model, name: str) -> bool:
    try:
        return model._meta.get_field(name).many_to_many
    except FieldDoesNotExist:
        return False
