from django.contrib import admin

from .models import Handover, HandoverItem, Lesson, TakenLesson


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "project", "recorded_at"]
    search_fields = ["title", "tags"]
    raw_id_fields = ["phase"]


admin.site.register(TakenLesson)
admin.site.register(HandoverItem)
admin.site.register(Handover)
