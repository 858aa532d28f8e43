from django.contrib import admin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["project", "on"]
    raw_id_fields = ["communication", "decisions"]
