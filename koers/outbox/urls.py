from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:message>/retry/", views.retry, name="retry"),
    path("texts/", views.mail_templates, name="templates"),
    path("texts/<slug:template>/<slug:language>/", views.mail_template_edit, name="template"),
    path(
        "texts/<slug:template>/<slug:language>/reset/",
        views.mail_template_reset,
        name="template_reset",
    ),
]
