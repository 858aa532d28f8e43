from django.contrib import admin

from .models import Instructions, InstructionsLink


@admin.register(Instructions)
class InstructionsAdmin(admin.ModelAdmin):
    list_display = ["project", "wave", "updated_at"]
    raw_id_fields = ["wave"]


admin.site.register(InstructionsLink)
