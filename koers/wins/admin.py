from django.contrib import admin

from .models import Win


@admin.register(Win)
class WinAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "kind", "status", "on"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["communication"]
