from . import views

# Registered on the portal's one router in cap_portal/api/urls.py.
routes = [
    ("meetings", views.MeetingViewSet, "meeting"),
    ("mechanisms", views.ComplianceMechanismViewSet, "mechanism"),
    ("compliance-cases", views.ComplianceCaseViewSet, "compliancecase"),
    ("recommendations", views.RecommendationViewSet, "recommendation"),
    ("compliance-measures", views.ComplianceMeasureViewSet, "compliancemeasure"),
    ("progress-ratings", views.ProgressRatingViewSet, "progressrating"),
    ("cap-cases", views.CapCaseViewSet, "capcase"),
    ("eligibility-assessments", views.EligibilityAssessmentViewSet, "eligibilityassessment"),
    ("missions", views.TechnicalMissionViewSet, "mission"),
    ("stakeholders", views.StakeholderViewSet, "stakeholder"),
    ("results", views.ResultViewSet, "result"),
]
