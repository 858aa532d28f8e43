from django.contrib import admin

from .models import Decision, DecisionChange


class DecisionChangeInline(admin.TabularInline):
    model = DecisionChange
    extra = 0


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "status", "decided_on", "decided_by"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = [
        "superseded_by",
        "phase",
        "wave",
        "gate_decision",
        "scope_item",
        "plan_revision",
    ]
    inlines = [DecisionChangeInline]
