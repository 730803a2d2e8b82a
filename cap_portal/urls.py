from allauth.account import views as allauth_views
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cap_portal import health
from portfolio import views as portfolio_views

urlpatterns = [
    path("", portfolio_views.HomeView.as_view(), name="home"),
    path("dashboard/", include("portfolio.urls")),
    # django-allauth's sign-in and sign-out at the portal's own addresses (its others under /accounts/).
    path("login/", allauth_views.LoginView.as_view(), name="login"),
    path("logout/", allauth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("people/", include("accounts.people_urls")),
    path("account/tokens/", include("accounts.token_urls")),
    path("parties/", include("parties.urls")),
    path("cases/", include("cases.urls")),
    path("workplans/", include("workplans.urls")),
    path("funding/", include("budgets.urls")),
    path("reports/", include("reports.urls")),
    path("decisions/", include("decisions.urls")),
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
