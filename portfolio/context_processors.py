from django.utils.functional import SimpleLazyObject


def notifications(request):
    """The signed-in person's unread notifications, for the navigation: one query (on the
    recipient/read index), run only when a template reads it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        from .notify import unread_count

        return unread_count(user)

    return {"unread_notifications": SimpleLazyObject(count)}
