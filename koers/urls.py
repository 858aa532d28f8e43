from django.contrib import admin
from django.urls import include, path

from koers.api.api import api
from koers.core import views as core_views
from koers.workspaces import views as workspace_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("koers.accounts.urls")),
    path("workspaces/", workspace_views.workspace_list, name="workspace_list"),
    path("invite/<str:token>/", workspace_views.invitation, name="invitation"),
    path("w/<slug:workspace>/", include("koers.workspaces.urls")),
    path("w/<slug:workspace>/p/", include("koers.projects.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
