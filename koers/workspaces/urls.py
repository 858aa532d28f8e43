from django.urls import path

from . import views

app_name = "workspaces"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.workspace_settings, name="settings"),
    path("members/", views.members, name="members"),
    path("members/<int:member>/role/", views.member_role, name="member_role"),
    path("members/<int:member>/remove/", views.member_delete, name="member_remove"),
    path("invitations/<int:invitation>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("c/", views.client_list, name="clients"),
    path("c/new/", views.client_create, name="client_create"),
    path("c/<slug:client>/", views.client_detail, name="client"),
    path("c/<slug:client>/edit/", views.client_edit, name="client_edit"),
    path("c/<slug:client>/contacts/new/", views.contact_form, name="contact_create"),
    path("c/<slug:client>/contacts/<int:contact>/", views.contact_form, name="contact_edit"),
    path(
        "c/<slug:client>/contacts/<int:contact>/remove/",
        views.contact_delete,
        name="contact_remove",
    ),
    path(
        "c/<slug:client>/contacts/<int:contact>/invite/",
        views.contact_invite,
        name="contact_invite",
    ),
]
