from django.urls import path

from . import views

app_name = "instructions"
urlpatterns = [
    path("", views.instructions_list, name="list"),
    path("new/", views.instructions_create, name="create"),
    path("<int:instructions>/", views.instructions_edit, name="edit"),
    path("<int:instructions>/publish/", views.instructions_publish, name="publish"),
    path("<int:instructions>/revoke/", views.instructions_revoke, name="revoke"),
    path("<int:instructions>/delete/", views.instructions_delete, name="delete"),
]
