from django.urls import path

from . import views

app_name = "pulse"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("new/", views.round_create, name="round_create"),
    path("<int:round>/", views.round_detail, name="round"),
    path("<int:round>/edit/", views.round_edit, name="round_edit"),
    path("<int:round>/open/", views.round_open, name="round_open"),
    path("<int:round>/close/", views.round_close, name="round_close"),
    path("<int:round>/link/", views.link_create, name="link_create"),
    path("<int:round>/link/revoke/", views.link_revoke, name="link_revoke"),
    path("<int:round>/mail-links/", views.round_links_mail, name="round_links_mail"),
    path("<int:round>/remind/", views.round_remind, name="round_remind"),
    path("<int:round>/mail/<int:message>/retry/", views.round_mail_retry, name="round_mail_retry"),
    path("<int:round>/link/qr.svg", views.link_qr, name="link_qr"),
    path("<int:round>/answers.csv", views.answers_export, {"fmt": "csv"}, name="answers_csv"),
    path("<int:round>/answers.xlsx", views.answers_export, {"fmt": "xlsx"}, name="answers_xlsx"),
    path("<int:round>/feedback/", views.feedback_from_answer, name="feedback_from_answer"),
    path("feedback/", views.feedback_list, name="feedback"),
    path("feedback/new/", views.feedback_create, name="feedback_create"),
    path("feedback/<int:feedback>/", views.feedback_edit, name="feedback_edit"),
    path("feedback/share/", views.feedback_share, name="feedback_share"),
    path("feedback/share/revoke/", views.feedback_share_revoke, name="feedback_share_revoke"),
    path("status/", views.status_updates, name="status"),
    path("status/write/", views.status_update_edit, name="status_write"),
    path("report/", views.status_report, name="report"),
    path("report.pdf", views.status_report_pdf, name="report_pdf"),
]
