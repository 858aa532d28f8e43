from django.contrib import admin

from .models import Gate, GateDecision, ImportRun, Person, Pilot, SupportLoad, Wave, WaveEvent


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "client", "department", "location", "left_at"]
    list_filter = ["left_at"]
    search_fields = ["key", "name", "email"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["file_name", "client", "status", "rows_total", "created_at"]
    exclude = ["content"]


@admin.register(Pilot)
class PilotAdmin(admin.ModelAdmin):
    list_display = ["project", "size", "chosen_at"]


class WaveEventInline(admin.TabularInline):
    model = WaveEvent
    extra = 0


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ["label", "project", "number", "status", "start_on", "end_on", "size"]
    list_filter = ["status"]
    inlines = [WaveEventInline]


class GateDecisionInline(admin.TabularInline):
    model = GateDecision
    extra = 0


@admin.register(Gate)
class GateAdmin(admin.ModelAdmin):
    list_display = ["wave", "open_blocking", "max_tickets_per_100"]
    inlines = [GateDecisionInline]


@admin.register(SupportLoad)
class SupportLoadAdmin(admin.ModelAdmin):
    list_display = ["project", "wave", "day", "tickets"]
