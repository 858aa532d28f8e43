from django.contrib import admin

from .models import ImportRun, Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "client", "department", "location", "left_at"]
    list_filter = ["left_at"]
    search_fields = ["key", "name", "email"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["file_name", "client", "status", "rows_total", "created_at"]
    exclude = ["content"]
