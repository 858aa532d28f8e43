from django.contrib import admin

from .models import FeedbackItem, Round, StatusUpdate, Thresholds


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "number", "status", "closes_at"]
    list_filter = ["status"]


@admin.register(FeedbackItem)
class FeedbackItemAdmin(admin.ModelAdmin):
    list_display = ["text", "project", "source", "status", "is_blocking"]
    list_filter = ["status", "source"]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    list_display = ["project", "week", "status"]


admin.site.register(Thresholds)
