from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("proposal.pdf", views.proposal, name="proposal"),
    path("plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
]
