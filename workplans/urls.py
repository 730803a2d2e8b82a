from django.urls import path

from . import views

app_name = "workplans"
urlpatterns = [
    path("", views.WorkplanListView.as_view(), name="workplan_list"),
    path("add/", views.WorkplanEditView.as_view(), name="workplan_add"),
    path("my-work/", views.MyWorkView.as_view(), name="my_work"),
    path("template.xlsx", views.WorkplanTemplateView.as_view(), name="workplan_template"),
    path("<int:pk>/", views.WorkplanDetailView.as_view(), name="workplan_detail"),
    path("<int:pk>/edit/", views.WorkplanEditView.as_view(), name="workplan_edit"),
    path("<int:pk>/delete/", views.WorkplanDeleteView.as_view(), name="workplan_delete"),
    path("<int:pk>/step/<str:action>/", views.WorkplanTransitionView.as_view(), name="workplan_transition"),
    path("<int:pk>/compare/", views.WorkplanCompareView.as_view(), name="workplan_compare"),
    path("<int:pk>/export.xlsx", views.WorkplanExportView.as_view(), name="workplan_export"),
    path("<int:pk>/import/", views.WorkplanImportView.as_view(), name="workplan_import"),
    path("<int:parent>/activities/add/", views.ActivityEditView.as_view(), name="activity_add"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("<int:parent>/milestones/add/", views.MilestoneEditView.as_view(), name="milestone_add"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<int:pk>/delete/", views.MilestoneDeleteView.as_view(), name="milestone_delete"),
    path("<int:parent>/indicators/add/", views.IndicatorEditView.as_view(), name="indicator_add"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.IndicatorDeleteView.as_view(), name="indicator_delete"),
    path(
        "indicators/<int:parent>/values/add/",
        views.IndicatorValueEditView.as_view(),
        name="indicatorvalue_add",
    ),
    path(
        "indicator-values/<int:pk>/edit/", views.IndicatorValueEditView.as_view(), name="indicatorvalue_edit"
    ),
    path(
        "<int:parent>/corrective-actions/add/",
        views.CorrectiveActionEditView.as_view(),
        name="correctiveaction_add",
    ),
    path(
        "corrective-actions/<int:pk>/edit/",
        views.CorrectiveActionEditView.as_view(),
        name="correctiveaction_edit",
    ),
    path(
        "activities/<int:parent>/progress/add/", views.ProgressUpdateEditView.as_view(), name="progress_add"
    ),
    path("progress/<int:pk>/edit/", views.ProgressUpdateEditView.as_view(), name="progress_edit"),
    path("progress/<int:pk>/review/", views.ReviewView.as_view(), name="progress_review"),
    path("<int:parent>/events/add/", views.EventEditView.as_view(), name="event_add"),
    path("events/<int:pk>/edit/", views.EventEditView.as_view(), name="event_edit"),
    path("<int:parent>/deliverables/add/", views.DeliverableEditView.as_view(), name="deliverable_add"),
    path("deliverables/<int:pk>/edit/", views.DeliverableEditView.as_view(), name="deliverable_edit"),
    path("deliverables/<int:pk>/review/", views.DeliverableReviewView.as_view(), name="deliverable_review"),
    path("deliverables/<int:pk>/file/", views.DeliverableFileView.as_view(), name="deliverable_file"),
]
