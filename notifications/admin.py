"""Managers read the notification e-mails: to whom, their state, attempts and last error."""

from django.contrib import admin

from notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "to_email",
        "subject",
        "status",
        "attempts",
        "error",
        "sent_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("=to_email", "subject")
    show_full_result_count = False
    list_select_related = ("recipient",)
    fields = (
        "recipient",
        "to_email",
        "kind",
        "subject",
        "body",
        "status",
        "attempts",
        "error",
        "created_at",
        "queued_at",
        "started_at",
        "finished_at",
        "sent_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "language")
    list_filter = ("email_enabled", "language")
    search_fields = ("user__username", "user__email")
    raw_id_fields = ("user",)
