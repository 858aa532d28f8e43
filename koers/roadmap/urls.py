from django.urls import path

from . import views

app_name = "roadmap"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("phases/new/", views.phase_edit, name="phase_create"),
    path("phases/<int:phase>/", views.phase_edit, name="phase"),
    path("phases/<int:phase>/remove/", views.phase_delete, name="phase_remove"),
    path("phases/<int:phase>/consultants/", views.phase_consultants, name="phase_consultants"),
    path("milestones/new/", views.milestone_edit, name="milestone_create"),
    path("milestones/<int:milestone>/", views.milestone_edit, name="milestone"),
    path("milestones/<int:milestone>/remove/", views.milestone_delete, name="milestone_remove"),
    path("deviations/accept/", views.deviation_accept, name="deviation_accept"),
    path(
        "deviations/<int:deviation>/withdraw/",
        views.deviation_withdraw,
        name="deviation_withdraw",
    ),
    path("import/", views.plan_import, name="plan_import"),
    path("import/review/", views.plan_import_review, name="plan_import_review"),
    path("plan.xml", views.plan_mspdi, name="plan_mspdi"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap.svg", views.roadmap_image, name="roadmap_svg"),
    path("roadmap.png", views.roadmap_png, name="roadmap_png"),
    path("revisions/", views.revisions, name="revisions"),
    path("revisions/record/", views.revision_record, name="revision_record"),
    path("revisions/<int:number>/restore/", views.revision_restore, name="revision_restore"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/<int:link>/revoke/", views.share_link_revoke, name="share_link_revoke"),
]
