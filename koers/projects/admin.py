from django.contrib import admin

from .models import BusinessGoal, Project, ScopeChange, ScopeItem, Vision


class BusinessGoalInline(admin.TabularInline):
    model = BusinessGoal
    extra = 0


class VisionInline(admin.StackedInline):
    model = Vision
    extra = 0


class ScopeItemInline(admin.TabularInline):
    model = ScopeItem
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "client", "workspace", "status", "manager", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    inlines = [BusinessGoalInline, VisionInline, ScopeItemInline]


@admin.register(ScopeChange)
class ScopeChangeAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "action", "from_column", "to_column", "actor", "at"]
    list_filter = ["action"]
