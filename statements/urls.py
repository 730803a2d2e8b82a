from django.urls import path

from . import views

app_name = "statements"
urlpatterns = [
    path("", views.StatementListView.as_view(), name="statement_list"),
    path("<int:pk>/", views.StatementDetailView.as_view(), name="statement_detail"),
    path("<int:pk>/pdf/", views.StatementFileView.as_view(kind="pdf"), name="statement_pdf"),
    path("<int:pk>/xlsx/", views.StatementFileView.as_view(kind="xlsx"), name="statement_xlsx"),
    path("instruments/<int:pk>/", views.InstrumentStatementsView.as_view(), name="instrument_statements"),
    path("instruments/<int:pk>/request/", views.StatementRequestView.as_view(), name="statement_request"),
]
