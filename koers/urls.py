from django.contrib import admin
from django.urls import include, path

from koers.aftercare import public as aftercare_public
from koers.aftercare import views as aftercare_views
from koers.api.api import api
from koers.core import views as core_views
from koers.documents import views as document_views
from koers.instructions import public as instructions_public
from koers.landscape import urls as landscape_urls
from koers.population import urls as population_urls
from koers.projects import views as project_views
from koers.pulse import public as pulse_public
from koers.pulse import views as pulse_views
from koers.roadmap import views as roadmap_views
from koers.rollout import urls as rollout_urls
from koers.stakeholders import urls as stakeholder_urls
from koers.workspaces import views as workspace_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/live", core_views.healthz_live, name="healthz_live"),
    path("healthz/worker", core_views.healthz_worker, name="healthz_worker"),
    path("favicon.ico", core_views.favicon),
    path("accounts/", include("koers.accounts.urls")),
    path("workspaces/", workspace_views.workspace_list, name="workspace_list"),
    path("invite/<str:token>/", workspace_views.invitation, name="invitation"),
    path("w/<slug:workspace>/", include("koers.workspaces.urls")),
    path("w/<slug:workspace>/p/", include("koers.projects.urls")),
    path("w/<slug:workspace>/p/<slug:project>/plan/", include("koers.roadmap.urls")),
    path("w/<slug:workspace>/p/<slug:project>/documents/", include("koers.documents.urls")),
    path("w/<slug:workspace>/c/<slug:client>/people/", include(population_urls.people)),
    path("w/<slug:workspace>/p/<slug:project>/rollout/", include(rollout_urls.rollout)),
    path("w/<slug:workspace>/guardrails/", roadmap_views.limits, name="roadmap_limits"),
    path(
        "w/<slug:workspace>/roadmap/",
        roadmap_views.portfolio_roadmap,
        name="portfolio_roadmap",
    ),
    path("w/<slug:workspace>/p/<slug:project>/pulse/", include("koers.pulse.urls")),
    path("w/<slug:workspace>/c/<slug:client>/stakeholders/", include(stakeholder_urls.client)),
    path(
        "w/<slug:workspace>/c/<slug:client>/vision/",
        project_views.client_vision,
        name="client_vision",
    ),
    path("w/<slug:workspace>/p/<slug:project>/stakeholders/", include(stakeholder_urls.project)),
    path("w/<slug:workspace>/p/<slug:project>/decisions/", include("koers.decisions.urls")),
    path("w/<slug:workspace>/p/<slug:project>/wins/", include("koers.wins.urls")),
    path("w/<slug:workspace>/p/<slug:project>/steering/", include("koers.steering.urls")),
    path("w/<slug:workspace>/c/<slug:client>/landscape/", include(landscape_urls.client)),
    path("w/<slug:workspace>/p/<slug:project>/landscape/", include(landscape_urls.project)),
    path("w/<slug:workspace>/p/<slug:project>/aftercare/", include("koers.aftercare.urls")),
    path("w/<slug:workspace>/p/<slug:project>/product/", include("koers.products.urls")),
    path("w/<slug:workspace>/p/<slug:project>/instructions/", include("koers.instructions.urls")),
    path("w/<slug:workspace>/outbox/", include("koers.outbox.urls")),
    path("w/<slug:workspace>/pulse-thresholds/", pulse_views.thresholds, name="pulse_thresholds"),
    path("a/<str:token>/", pulse_public.answer, name="pulse_answer"),
    path("a/p/<str:token>/", pulse_public.personal_answer, name="pulse_personal_answer"),
    path(
        "shared/feedback/<str:token>/",
        pulse_public.you_said_we_did,
        name="pulse_you_said_we_did",
    ),
    path("e/<str:token>/", aftercare_public.answer, name="evaluation_answer"),
    path(
        "w/<slug:workspace>/c/<slug:client>/evaluations/",
        aftercare_views.client_evaluations,
        name="client_evaluations",
    ),
    path("i/<str:token>/", instructions_public.instructions_public, name="instructions_public"),
    path("shared/roadmap/<str:token>/", roadmap_views.shared_roadmap, name="shared_roadmap"),
    path("feeds/plan/<str:token>.ics", document_views.plan_feed, name="plan_feed"),
    path("feeds/waves/<str:token>.ics", document_views.waves_feed, name="waves_feed"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
