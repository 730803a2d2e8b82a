"""The API under /api/v1/: one router for every app, so the API root lists everything."""

from django.urls import path

from accounts.api.urls import routes as people_routes
from accounts.views.tokens import ApiTokenViewSet
from budgets.api.views import routes as funding_routes
from cases.api.urls import routes as case_routes
from decisions.api.urls import routes as decision_routes
from iati.api.views import routes as iati_routes
from parties.api.urls import routes as party_routes
from portfolio.api.urls import routes as portfolio_routes
from reports.api.urls import routes as report_routes
from statements.api.views import routes as statement_routes
from workplans.api.urls import routes as workplan_routes

from .routers import GroupedRouter
from .views import MeView, ObtainTokenView

router = GroupedRouter()
for prefix, viewset, basename in [
    *party_routes,
    *case_routes,
    *workplan_routes,
    *funding_routes,
    *report_routes,
    *statement_routes,
    *decision_routes,
    *people_routes,
    *portfolio_routes,
    *iati_routes,
]:
    router.register(prefix, viewset, basename=basename)
router.register("tokens", ApiTokenViewSet, basename="apitoken")

app_name = "api"
urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    *router.urls,
]
