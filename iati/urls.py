from django.urls import path

from . import views

app_name = "iati"
urlpatterns = [
    path("", views.PublicationView.as_view(), name="publication"),
    path("activities.xml", views.ActivitiesView.as_view(), name="activities"),
    path("exclusions/add/", views.ExclusionAddView.as_view(), name="exclusion_add"),
    path("exclusions/<int:pk>/delete/", views.ExclusionDeleteView.as_view(), name="exclusion_delete"),
]
