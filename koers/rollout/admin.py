from django.contrib import admin

from .models import Gate, GateDecision, Pilot, SupportLoad, Wave, WaveEvent


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
