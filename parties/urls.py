from django.urls import path

from . import views

app_name = "parties"
urlpatterns = [
    path("", views.PartyListView.as_view(), name="party_list"),
    path("add/", views.PartyEditView.as_view(), name="party_add"),
    path("<str:code>/", views.PartyDetailView.as_view(), name="party_detail"),
    path("<str:code>/edit/", views.PartyEditView.as_view(), name="party_edit"),
    path("<str:code>/authorities/add/", views.AuthorityEditView.as_view(), name="authority_add"),
    path("<str:code>/authorities/<int:pk>/edit/", views.AuthorityEditView.as_view(), name="authority_edit"),
    path(
        "<str:code>/authorities/<int:pk>/delete/",
        views.AuthorityDeleteView.as_view(),
        name="authority_delete",
    ),
    path("<str:code>/contacts/add/", views.ContactEditView.as_view(), name="contact_add"),
    path("<str:code>/contacts/<int:pk>/edit/", views.ContactEditView.as_view(), name="contact_edit"),
    path("<str:code>/contacts/<int:pk>/delete/", views.ContactDeleteView.as_view(), name="contact_delete"),
]
