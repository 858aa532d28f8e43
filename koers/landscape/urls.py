"""The pages of a client's landscape, and of the systems a project's phases change."""

from django.urls import path

from . import views

client = (
    [
        path("", views.systems, name="systems"),
        path("map/", views.landscape_map, name="map"),
        path("new/", views.system_create, name="system_create"),
        path("<int:system>/", views.system_edit, name="system_edit"),
        path("<int:system>/delete/", views.system_delete, name="system_delete"),
        path("export.xlsx", views.export, name="export"),
        path("import/", views.import_systems, name="import"),
        path("integrations/", views.integrations, name="integrations"),
        path("integrations/new/", views.integration_create, name="integration_create"),
        path("integrations/<int:integration>/", views.integration_edit, name="integration_edit"),
        path(
            "integrations/<int:integration>/delete/",
            views.integration_delete,
            name="integration_delete",
        ),
    ],
    "landscape",
)
project = (
    [
        path("", views.phase_systems, name="phases"),
        path("add/", views.phase_system_add, name="add"),
        path("<int:system_change>/remove/", views.phase_system_remove, name="remove"),
    ],
    "landscape_plan",
)
