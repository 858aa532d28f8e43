"""The pages of a client's people."""

from django.urls import path

from . import views

people = (
    [
        path("", views.people, name="list"),
        path("import/", views.import_upload, name="import"),
        path("import/<int:run>/", views.import_run, name="import_run"),
        path("import/<int:run>/mark-left/", views.import_mark_left, name="import_mark_left"),
        path("import/<int:run>/discard/", views.import_discard, name="import_discard"),
        path("marks/", views.people_marks, name="marks"),
    ],
    "people",
)
