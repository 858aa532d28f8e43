from django.contrib import admin

from .models import Communication, Involvement, Stakeholder


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "job_title", "channel", "contact_every_days"]


@admin.register(Involvement)
class InvolvementAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "project", "stance", "influence", "interest"]
    list_filter = ["stance"]


@admin.register(Communication)
class CommunicationAdmin(admin.ModelAdmin):
    list_display = ["subject", "project", "kind", "status", "on"]
    list_filter = ["kind", "status"]
