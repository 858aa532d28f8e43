from django.contrib import admin

from .models import Integration, PhaseSystem, System


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "capability", "lifecycle", "debt", "users"]
    list_filter = ["lifecycle", "hosting"]


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = ["source", "target", "kind", "frequency", "client"]
    list_filter = ["kind"]


@admin.register(PhaseSystem)
class PhaseSystemAdmin(admin.ModelAdmin):
    list_display = ["phase", "system", "change"]
