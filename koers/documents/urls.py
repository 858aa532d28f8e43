from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("proposal.pdf", views.proposal, name="proposal"),
    path("plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("decisions.xlsx", views.decision_log_xlsx, name="decision_log_xlsx"),
    path("decisions.pdf", views.decision_log_pdf, name="decision_log_pdf"),
    path("closing-report.pdf", views.closing_report, name="closing_report"),
]
