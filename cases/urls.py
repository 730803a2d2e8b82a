from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    # CAP cases
    path("cap-cases/", views.CapCaseListView.as_view(), name="capcase_list"),
    path("cap-cases/add/", views.CapCaseEditView.as_view(), name="capcase_add"),
    path("cap-cases/<int:pk>/", views.CapCaseDetailView.as_view(), name="capcase_detail"),
    path("cap-cases/<int:pk>/edit/", views.CapCaseEditView.as_view(), name="capcase_edit"),
    path("cap-cases/<int:pk>/transition/", views.CapCaseTransitionView.as_view(), name="capcase_transition"),
    path(
        "cap-cases/<int:case_pk>/missions/add/", views.TechnicalMissionEditView.as_view(), name="mission_add"
    ),
    path("missions/<int:pk>/edit/", views.TechnicalMissionEditView.as_view(), name="mission_edit"),
    path(
        "cap-cases/<int:case_pk>/stakeholders/add/",
        views.StakeholderEditView.as_view(),
        name="stakeholder_add",
    ),
    path("stakeholders/<int:pk>/edit/", views.StakeholderEditView.as_view(), name="stakeholder_edit"),
    # Results
    path("results/", views.ResultListView.as_view(), name="result_list"),
    path("cap-cases/<int:case_pk>/results/add/", views.ResultEditView.as_view(), name="result_add"),
    path("results/<int:pk>/", views.ResultDetailView.as_view(), name="result_detail"),
    path("results/<int:pk>/edit/", views.ResultEditView.as_view(), name="result_edit"),
    path("results/<int:pk>/review/", views.ResultReviewView.as_view(), name="result_review"),
    # Selection (prong 1)
    path("selection/", views.SelectionBoardView.as_view(), name="selection_board"),
    path("selection/assessments/add/", views.EligibilityAssessmentEditView.as_view(), name="assessment_add"),
    path(
        "selection/assessments/<int:pk>/edit/",
        views.EligibilityAssessmentEditView.as_view(),
        name="assessment_edit",
    ),
    path(
        "selection/assessments/<int:pk>/decide/",
        views.EligibilityDecideView.as_view(),
        name="assessment_decide",
    ),
    # The compliance record
    path("compliance-cases/", views.ComplianceCaseListView.as_view(), name="compliancecase_list"),
    path("compliance-cases/add/", views.ComplianceCaseEditView.as_view(), name="compliancecase_add"),
    path(
        "compliance-cases/<int:pk>/", views.ComplianceCaseDetailView.as_view(), name="compliancecase_detail"
    ),
    path(
        "compliance-cases/<int:pk>/edit/", views.ComplianceCaseEditView.as_view(), name="compliancecase_edit"
    ),
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation_list"),
    path("recommendations/add/", views.RecommendationEditView.as_view(), name="recommendation_add"),
    path("recommendations/<int:pk>/", views.RecommendationDetailView.as_view(), name="recommendation_detail"),
    path(
        "recommendations/<int:pk>/edit/", views.RecommendationEditView.as_view(), name="recommendation_edit"
    ),
    path("measures/add/", views.ComplianceMeasureEditView.as_view(), name="measure_add"),
    path("measures/<int:pk>/edit/", views.ComplianceMeasureEditView.as_view(), name="measure_edit"),
    path("ratings/add/", views.ProgressRatingEditView.as_view(), name="rating_add"),
    path("ratings/<int:pk>/edit/", views.ProgressRatingEditView.as_view(), name="rating_edit"),
    # Reference data
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/add/", views.MeetingEditView.as_view(), name="meeting_add"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("mechanisms/", views.MechanismListView.as_view(), name="mechanism_list"),
    path("mechanisms/add/", views.MechanismEditView.as_view(), name="mechanism_add"),
    path("mechanisms/<int:pk>/edit/", views.MechanismEditView.as_view(), name="mechanism_edit"),
]
