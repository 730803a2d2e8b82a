"""A user's own API tokens (/account/tokens/)."""

from django.urls import path

from .views import tokens as views

app_name = "tokens"
urlpatterns = [
    path("", views.TokenListView.as_view(), name="token_list"),
    path("new/", views.TokenCreateView.as_view(), name="token_add"),
    path("<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
]
