from django.contrib import admin

from .models import MailTemplate, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "workspace", "state", "attempts", "created_at"]
    list_filter = ["state", "is_private"]
    # The text of a private message holds a secret link: not even the admin shows it.
    exclude = ["body"]
    readonly_fields = ["key", "message_id", "state", "attempts", "failure", "reason", "sent_at"]


@admin.register(MailTemplate)
class MailTemplateAdmin(admin.ModelAdmin):
    list_display = ["template", "language", "workspace", "updated_at"]
