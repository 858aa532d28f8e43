"""The pages of a client's stakeholders, and of a project's."""

from django.urls import path

from . import views

client = (
    [
        path("", views.stakeholder_list, name="list"),
        path("new/", views.stakeholder_create, name="create"),
        path("<int:stakeholder>/", views.stakeholder_edit, name="edit"),
        path("<int:stakeholder>/delete/", views.stakeholder_delete, name="delete"),
    ],
    "stakeholders",
)
project = (
    [
        path("", views.project_grid, name="grid"),
        path("add/", views.role_add, name="role_add"),
        path("<int:stakeholder>/", views.role, name="role"),
        path("<int:stakeholder>/remove/", views.role_remove, name="role_remove"),
        path("communication/", views.communications, name="communications"),
        path("communication/new/", views.communication_create, name="communication_create"),
        path(
            "communication/<int:communication>/",
            views.communication_edit,
            name="communication_edit",
        ),
        path(
            "communication/<int:communication>/delete/",
            views.communication_delete,
            name="communication_delete",
        ),
        path(
            "communication/<int:communication>/mail/",
            views.communication_mail,
            name="communication_mail",
        ),
        path(
            "communication/<int:communication>/mail/<int:message>/retry/",
            views.communication_mail_retry,
            name="communication_mail_retry",
        ),
        path("communication/rhythm/", views.rhythm, name="rhythm"),
    ],
    "project_stakeholders",
)
