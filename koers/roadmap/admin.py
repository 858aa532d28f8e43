from django.contrib import admin

from .models import Deviation, GuardrailLimits, Kpi, Milestone, Phase, PlanRevision, ShareLink


class KpiInline(admin.TabularInline):
    model = Kpi
    extra = 0


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "start_month", "weeks", "budget", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [KpiInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "kind", "on"]
    list_filter = ["kind"]


@admin.register(Deviation)
class DeviationAdmin(admin.ModelAdmin):
    list_display = ["rule", "project", "subject", "accepted_by", "accepted_at"]


@admin.register(PlanRevision)
class PlanRevisionAdmin(admin.ModelAdmin):
    list_display = ["project", "number", "reason", "actor", "created_at"]


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    list_display = ["project", "kind", "actor", "created_at", "revoked_at"]


admin.site.register(GuardrailLimits)
