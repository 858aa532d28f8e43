from django.urls import path

from . import views

app_name = "instructions"
PILOT = {"kind": "pilot_invitation"}
WAVE = {"kind": "wave_announcement"}
urlpatterns = [
    path("", views.instructions_list, name="list"),
    path("new/", views.instructions_create, name="create"),
    path("<int:instructions>/", views.instructions_edit, name="edit"),
    path("<int:instructions>/publish/", views.instructions_publish, name="publish"),
    path("<int:instructions>/revoke/", views.instructions_revoke, name="revoke"),
    path("<int:instructions>/delete/", views.instructions_delete, name="delete"),
    path("mail/pilot/", views.people_mail, PILOT, name="mail_pilot"),
    path("mail/pilot/send/", views.people_mail_send, PILOT, name="mail_pilot_send"),
    path(
        "mail/pilot/<int:message>/retry/", views.people_mail_retry, PILOT, name="mail_pilot_retry"
    ),
    path("mail/wave/<int:wave>/", views.people_mail, WAVE, name="mail_wave"),
    path("mail/wave/<int:wave>/send/", views.people_mail_send, WAVE, name="mail_wave_send"),
    path(
        "mail/wave/<int:wave>/<int:message>/retry/",
        views.people_mail_retry,
        WAVE,
        name="mail_wave_retry",
    ),
]
