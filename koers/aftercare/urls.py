from django.urls import path

from . import views

app_name = "aftercare"
urlpatterns = [
    path("lessons/", views.lessons, name="lessons"),
    path("lessons/new/", views.lesson_create, name="lesson_create"),
    path("lessons/<int:lesson>/", views.lesson_edit, name="lesson_edit"),
    path("lessons/<int:lesson>/delete/", views.lesson_delete, name="lesson_delete"),
    path("lessons/take/", views.lesson_take, name="lesson_take"),
    path("handover/", views.handover, name="handover"),
    path("handover/edit/", views.handover_edit, name="handover_edit"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/send/", views.evaluation_send, name="evaluation_send"),
    path(
        "evaluations/<int:evaluation>/revoke/",
        views.evaluation_revoke,
        name="evaluation_revoke",
    ),
    path("reference/", views.reference, name="reference"),
]
