"""A user's preferred language: applied when they sign in, remembered when they switch.

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
