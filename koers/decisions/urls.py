from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.log, name="log"),
    path("new/", views.decision_create, name="create"),
    path("<int:decision>/", views.decision_detail, name="detail"),
    path("<int:decision>/edit/", views.decision_edit, name="edit"),
]
