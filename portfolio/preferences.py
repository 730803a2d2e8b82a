"""A user's preferred language: applied when they sign in, remembered when they switch, and the
language of every e-mail they receive (:func:`recipient_language`).

``user_logged_in`` marks the request with the user's preferred language; the middleware activates
it and sets Django's language cookie on the response. When a signed-in user picks a language with
the switcher (``set_language`` sets the cookie), the middleware stores it as their preference.
Connected in ``cases.apps.CasesConfig.ready``; the middleware is listed in settings.MIDDLEWARE.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from .models import UserPreference

LANGUAGE_ATTRIBUTE = "_cap_preferred_language"


def preferred_language(user) -> str | None:
    """The user's preferred language, if they chose one."""
    pref = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return pref or None


def recipient_languages(users) -> dict[int, str]:
    """User id → the language to write to each user in: the one rule for every e-mail and inbox
    message of the portal (reminders, hand-overs, digests).

    The user's preferred language; else, when they hold only Party roles, their Party's working
    language (the one their Parties share); else ``settings.LANGUAGE_CODE``. A Secretariat member
    or a donor observer without a preference is written to in the default language, whatever
    the Party the message is about (two queries for any number of users)."""
    from parties.models import RoleAssignment

    users = list(users)
    ids = [u.pk for u in users]
    known = dict(settings.LANGUAGES)
    chosen = dict(
        UserPreference.objects.filter(user_id__in=ids).exclude(language="").values_list("user_id", "language")
    )
    party_languages: dict[int, set] = {}
    other_roles: set[int] = set()
    assignments = RoleAssignment.objects.current().filter(user_id__in=ids)
    for user_id, party_id, language in assignments.values_list("user_id", "party_id", "party__language"):
        if party_id is None:
            other_roles.add(user_id)  # a Secretariat role (global) or a donor observer's
        else:
            party_languages.setdefault(user_id, set()).add(language)
    languages = {}
    for user in users:
        language = chosen.get(user.pk)
        if not language and user.pk not in other_roles and not user.is_superuser:
            spoken = party_languages.get(user.pk, set())
            language = next(iter(spoken)) if len(spoken) == 1 else None
        languages[user.pk] = language if language in known else settings.LANGUAGE_CODE
    return languages


def recipient_language(user) -> str:
    """The language to write to ``user`` in (see :func:`recipient_languages`)."""
    return recipient_languages([user])[user.pk]


def notification_deliveries(user) -> dict[str, str]:
    """Kind → how the user receives notifications of that kind (at once unless they chose the
    digest), for every kind a person sets (``KIND_GROUPS``)."""
    from .choices import KIND_GROUPS, Delivery
    from .models import NotificationPreference

    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {str(kind): chosen.get(kind, Delivery.IMMEDIATE) for kind in KIND_GROUPS}


def notification_preferences_set(*, user, deliveries: dict[str, str]) -> None:
    """Store how the user receives each kind of notification (``Delivery.IMMEDIATE`` or
    ``Delivery.DIGEST``); kinds not named are left as they are."""
    from .choices import KIND_GROUPS, Delivery
    from .models import NotificationPreference

    for kind, delivery in deliveries.items():
        if kind not in KIND_GROUPS or delivery not in (Delivery.IMMEDIATE, Delivery.DIGEST):
            raise ValueError((kind, delivery))
    # One statement, safe against a second save at the same moment (the row per user and kind).
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(user=user, kind=kind, delivery=delivery)
            for kind, delivery in deliveries.items()
        ],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["delivery"],
    )


def user_preference_set(*, user, language: str) -> UserPreference:
    """Store the user's preferred language (one of settings.LANGUAGES)."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    preference, _created = UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    return preference


@receiver(user_logged_in, dispatch_uid="cap_preferred_language")
def apply_preferred_language(sender, request, user, **kwargs):
    language = preferred_language(user)
    if language and request is not None:
        setattr(request, LANGUAGE_ATTRIBUTE, language)
        translation.activate(language)
        request.LANGUAGE_CODE = language


class PreferredLanguageMiddleware:
    """Sets the language cookie after sign-in; stores the language a signed-in user switches to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, LANGUAGE_ATTRIBUTE, None)
        cookie = settings.LANGUAGE_COOKIE_NAME
        if language:
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        elif cookie in response.cookies and getattr(request, "user", None) and request.user.is_authenticated:
            chosen = response.cookies[cookie].value
            if chosen in dict(settings.LANGUAGES) and chosen != preferred_language(request.user):
                user_preference_set(user=request.user, language=chosen)
        return response
