from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("new/", views.project_create, name="create"),
    path("<slug:project>/", views.overview, name="overview"),
    path("<slug:project>/intake/", views.intake_edit, name="intake"),
    path("<slug:project>/status/", views.status_move, name="status"),
    path("<slug:project>/vision/", views.vision_edit, name="vision"),
    path("<slug:project>/scope/", views.scope_canvas, name="scope"),
    path("<slug:project>/scope/history/", views.scope_history, name="scope_history"),
    path("<slug:project>/scope/<int:item>/", views.scope_item_edit, name="scope_item"),
    path("<slug:project>/scope/<int:item>/move/", views.scope_item_move, name="scope_item_move"),
    path(
        "<slug:project>/scope/<int:item>/remove/",
        views.scope_item_remove,
        name="scope_item_remove",
    ),
]
