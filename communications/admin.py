from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communications import services
from communications.models import Communication


def _set_done(modeladmin, request, queryset, *, done: bool) -> None:
    changed = 0
    for pk in queryset.filter(follow_up_on__isnull=False, follow_up_done=not done).values_list(
        "pk", flat=True
    ):
        services.set_follow_up_done(communication_id=pk, by=request.user, done=done)
        changed += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d follow-up updated.", "%(count)d follow-ups updated.", changed)
        % {"count": changed},
        messages.SUCCESS,
    )


@admin.action(description=_("Mark the selected follow-ups done"), permissions=["change"])
def mark_follow_ups_done(modeladmin, request, queryset):
    _set_done(modeladmin, request, queryset, done=True)


@admin.action(description=_("Open the selected follow-ups again"), permissions=["change"])
def reopen_follow_ups(modeladmin, request, queryset):
    _set_done(modeladmin, request, queryset, done=False)


@admin.register(Communication)
class CommunicationAdmin(admin.ModelAdmin):
    list_display = (
        "occurred_at",
        "subject",
        "customer",
        "channel",
        "direction",
        "author",
        "follow_up_on",
        "follow_up_done",
    )
    list_filter = ("channel", "direction", "follow_up_done", "occurred_at", "author")
    search_fields = ("subject", "content", "customer__name")
    list_select_related = ("customer", "author")
    # Never a menu of every customer or opportunity: search or type the id.
    autocomplete_fields = ("customer", "author")
    raw_id_fields = ("opportunity",)
    readonly_fields = ("follow_up_done", "follow_up_done_at", "created_at", "updated_at")
    actions = [mark_follow_ups_done, reopen_follow_ups]
    show_full_result_count = False
    ordering = ("-occurred_at", "-id")
    fieldsets = (
        (None, {"fields": ("customer", "opportunity", "author")}),
        (
            _("Communication"),
            {"fields": ("channel", "direction", "occurred_at", "subject", "content")},
        ),
        (_("Follow-up"), {"fields": ("follow_up_on", "follow_up_done", "follow_up_done_at")}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )
