from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.DecisionListView.as_view(), name="decision_list"),
    path("add/", views.DecisionEditView.as_view(), name="decision_add"),
    path("<int:pk>/edit/", views.DecisionEditView.as_view(), name="decision_edit"),
    path("<int:pk>/delete/", views.DecisionDeleteView.as_view(), name="decision_delete"),
    path("reports/<int:parent>/", views.ReportDraftDecisionsView.as_view(), name="report_drafts"),
    path("reports/<int:parent>/add/", views.DraftDecisionEditView.as_view(), name="draft_add"),
    path("drafts/<int:pk>/edit/", views.DraftDecisionEditView.as_view(), name="draft_edit"),
]
