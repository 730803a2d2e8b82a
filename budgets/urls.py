from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("", views.AbsorptionView.as_view(), name="absorption"),
    path("absorption.xlsx", views.AbsorptionExportView.as_view(), name="absorption_export"),
    path("cases/<int:pk>/", views.CaseFundingView.as_view(), name="case_funding"),
    path("cases/<int:parent>/instruments/add/", views.InstrumentEditView.as_view(), name="instrument_add"),
    path("instruments/", views.InstrumentListView.as_view(), name="instrument_list"),
    path("instruments/<int:pk>/", views.InstrumentDetailView.as_view(), name="instrument_detail"),
    path("instruments/<int:pk>/edit/", views.InstrumentEditView.as_view(), name="instrument_edit"),
    path("instruments/<int:pk>/delete/", views.InstrumentDeleteView.as_view(), name="instrument_delete"),
    path("instruments/<int:parent>/extensions/add/", views.ExtensionEditView.as_view(), name="extension_add"),
    path("extensions/<int:pk>/edit/", views.ExtensionEditView.as_view(), name="extension_edit"),
    path("extensions/<int:pk>/delete/", views.ExtensionDeleteView.as_view(), name="extension_delete"),
    path(
        "instruments/<int:parent>/installments/add/",
        views.InstallmentEditView.as_view(),
        name="installment_add",
    ),
    path("installments/<int:pk>/edit/", views.InstallmentEditView.as_view(), name="installment_edit"),
    path("installments/<int:pk>/delete/", views.InstallmentDeleteView.as_view(), name="installment_delete"),
    path("workplans/<int:pk>/budget/", views.BudgetView.as_view(), name="workplan_budget"),
    path("workplans/<int:pk>/budget.xlsx", views.BudgetExportView.as_view(), name="workplan_budget_export"),
    path("workplans/<int:parent>/budget/add/", views.BudgetLineEditView.as_view(), name="budgetline_add"),
    path("budget-lines/<int:pk>/edit/", views.BudgetLineEditView.as_view(), name="budgetline_edit"),
    path("budget-lines/<int:pk>/delete/", views.BudgetLineDeleteView.as_view(), name="budgetline_delete"),
    path("expenditure/", views.ExpenditureListView.as_view(), name="expenditure_list"),
    path("expenditure/add/", views.ExpenditureEditView.as_view(), name="expenditure_add"),
    path("expenditure/<int:pk>/edit/", views.ExpenditureEditView.as_view(), name="expenditure_edit"),
    path("expenditure/<int:pk>/delete/", views.ExpenditureDeleteView.as_view(), name="expenditure_delete"),
    path(
        "expenditure/<int:pk>/document/", views.ExpenditureDocumentView.as_view(), name="expenditure_document"
    ),
]
