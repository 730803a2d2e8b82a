from django.urls import path

from . import funding_views as views

app_name = "funding"
urlpatterns = [
    path("", views.AbsorptionView.as_view(), name="absorption"),
    path("absorption.xlsx", views.AbsorptionExportView.as_view(), name="absorption_export"),
    path("instruments/", views.InstrumentListView.as_view(), name="instrument_list"),
    path("instruments/<int:pk>/", views.InstrumentDetailView.as_view(), name="instrument_detail"),
    path("workplans/<int:pk>/budget/", views.BudgetView.as_view(), name="workplan_budget"),
    path("workplans/<int:pk>/budget.xlsx", views.BudgetExportView.as_view(), name="workplan_budget_export"),
    path("expenditure/", views.ExpenditureListView.as_view(), name="expenditure_list"),
    path("expenditure/add/", views.ExpenditureEditView.as_view(), name="expenditure_add"),
    path("expenditure/<int:pk>/edit/", views.ExpenditureEditView.as_view(), name="expenditure_edit"),
]
