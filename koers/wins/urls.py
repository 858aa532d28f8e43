from django.urls import path

from . import views

app_name = "wins"
urlpatterns = [
    path("", views.win_list, name="list"),
    path("celebrate/<str:fact>/", views.win_celebrate, name="celebrate"),
    path("dismiss/<str:fact>/", views.win_dismiss, name="dismiss"),
    path("<int:win>/", views.win_detail, name="detail"),
    path("<int:win>/mail/", views.win_mail, name="mail"),
    path("timeline/", views.timeline, name="timeline"),
]
