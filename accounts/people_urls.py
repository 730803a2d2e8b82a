"""People, roles and invitations (case managers; the Secretariat reads)."""

from django.urls import path

from accounts.views import people as views

app_name = "people"
urlpatterns = [
    path("", views.PeopleListView.as_view(), name="person_list"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/roles/add/", views.RoleGrantView.as_view(), name="role_grant"),
    path("<int:pk>/deactivate/", views.PersonAccountView.as_view(activate=False), name="person_deactivate"),
    path("<int:pk>/reactivate/", views.PersonAccountView.as_view(activate=True), name="person_reactivate"),
    path("roles/<int:pk>/end/", views.RoleEndView.as_view(), name="role_end"),
    path("invitations/", views.InvitationListView.as_view(), name="invitation_list"),
    path("invitations/add/", views.InvitationCreateView.as_view(), name="invitation_add"),
    path(
        "invitations/<int:pk>/resend/",
        views.InvitationActionView.as_view(operation="resend"),
        name="invitation_resend",
    ),
    path(
        "invitations/<int:pk>/withdraw/",
        views.InvitationActionView.as_view(operation="revoke"),
        name="invitation_revoke",
    ),
    path("invitations/accept/<str:secret>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
]
