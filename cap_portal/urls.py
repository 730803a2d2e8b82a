from allauth import urls as allauth_urls
from allauth.account import views as allauth_views
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cap_portal import health
from cap_portal import help as portal_help
from statements import views as statements_views

# allauth pages the portal does not use, left out so that they are no attack surface: e-mail
# address management and confirmation (the invitation proved the address), sign-in and
# reauthentication by an e-mailed code, connecting accounts and signing up through the identity
# provider (nobody signs up), and the unnamed legacy /accounts/social/... redirects to those.
# ``account_signup`` stays: it shows the "sign-up closed" page, and allauth's login page reverses
# it. ``account_set_password`` stays: the
# password-change page sends an account without a usable password there (a superuser made with
# ``createsuperuser --noinput``); for everyone else it leads to the change page.
ALLAUTH_URLS_UNUSED = {
    "account_email",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "socialaccount_connections",
    "socialaccount_signup",
}


def allauth_urls_used(patterns) -> list:
    """allauth's URL patterns, walked recursively, without the unused ones (named above) and
    without any unnamed one (the legacy redirects)."""
    kept = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = allauth_urls_used(entry.url_patterns)
            kept.append(
                URLResolver(entry.pattern, inner, entry.default_kwargs, entry.app_name, entry.namespace)
            )
        elif entry.name and entry.name not in ALLAUTH_URLS_UNUSED:
            kept.append(entry)
    return kept


urlpatterns = [
    path("", statements_views.home, name="home"),  # a donor observer's, else portfolio.HomeView
    path("dashboard/", include("portfolio.urls")),
    path("notifications/", include("portfolio.notification_urls")),
    # django-allauth's sign-in and sign-out at the portal's own addresses (its others under /accounts/).
    path("login/", allauth_views.LoginView.as_view(), name="login"),
    path("logout/", allauth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("help/", portal_help.help_index, name="help_index"),
    path("help/<slug:slug>/", portal_help.help_page, name="help_page"),
    path("accounts/", include(allauth_urls_used(allauth_urls.urlpatterns))),
    path("people/", include("accounts.people_urls")),
    path("account/tokens/", include("accounts.token_urls")),
    path("parties/", include("parties.urls")),
    path("cases/", include("cases.urls")),
    path("workplans/", include("workplans.urls")),
    path("funding/", include("budgets.urls")),
    path("reports/", include("reports.urls")),
    path("statements/", include("statements.urls")),
    path("decisions/", include("decisions.urls")),
    path("iati/", include("iati.urls")),
    path("api/v1/", include("cap_portal.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="swagger-ui"
    ),
    path("admin/", admin.site.urls),
]

# JSON under /api/, the portal's pages elsewhere.
handler404 = "cap_portal.views.page_not_found"
handler500 = "cap_portal.views.server_error"
