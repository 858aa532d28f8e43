from django.urls import path

from . import views

app_name = "steering"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("<int:meeting>/", views.meeting_detail, name="meeting"),
    path("<int:meeting>/minutes/", views.meeting_minutes, name="minutes"),
    path("<int:meeting>/mail/", views.meeting_mail, name="mail"),
]
