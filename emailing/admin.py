"""Managers read the quotes sent by e-mail: to whom, their state, attempts and last error."""

from django.contrib import admin

from emailing.models import QuoteEmail


@admin.register(QuoteEmail)
class QuoteEmailAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "quote",
        "recipient_list",
        "sent_by",
        "status",
        "attempts",
        "error",
        "mail_sent_at",
    )
    list_filter = ("status", "language")
    search_fields = ("=quote__number", "subject")
    list_select_related = ("quote", "sent_by")
    show_full_result_count = False
    fields = (
        "quote",
        "sent_by",
        "recipients",
        "language",
        "subject",
        "body",
        "status",
        "attempts",
        "error",
        "created_at",
        "queued_at",
        "started_at",
        "finished_at",
        "mail_sent_at",
        "communication",
    )
    readonly_fields = fields

    @admin.display(description=QuoteEmail._meta.get_field("recipients").verbose_name)
    def recipient_list(self, email):
        return ", ".join(email.recipients)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
