"""Managers register endpoints and read each endpoint's delivery log; "Send again" re-sends
chosen deliveries through webhooks.delivery.send_again."""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from webhooks.delivery import body_of, send_again
from webhooks.forms import EndpointForm
from webhooks.models import Delivery, Endpoint, Event


def pretty(data) -> str:
    return format_html("<pre>{}</pre>", json.dumps(data, indent=2, ensure_ascii=False))


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("url", "description", "is_active", "event_list", "delivery_log")
    list_filter = ("is_active",)
    search_fields = ("url", "description")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=gettext_lazy("events"))
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    @admin.display(description=gettext_lazy("deliveries"))
    def delivery_log(self, endpoint):
        url = reverse("admin:webhooks_delivery_changelist")
        return format_html('<a href="{}?endpoint__id__exact={}">{}</a>', url, endpoint.pk, _("Log"))


@admin.action(description=gettext_lazy("Send again"), permissions=["change"])
def send_again_action(modeladmin, request, queryset):
    try:
        count = send_again(delivery_ids=queryset.values_list("pk", flat=True), by=request.user)
    except PermissionDenied as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d delivery will be sent again.",
            "%(count)d deliveries will be sent again.",
            count,
        )
        % {"count": count},
        messages.SUCCESS,
    )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only, with "Send again"."""

    list_display = (
        "created_at",
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_response_code",
        "last_error_excerpt",
        "last_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "endpoint", "event__type")
    list_select_related = ("event", "endpoint")
    show_full_result_count = False
    actions = [send_again_action]
    fields = (
        "event_link",
        "endpoint",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
        "last_response_code",
        "last_error",
        "body",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "endpoint")

    @admin.display(description=gettext_lazy("event"), ordering="event__type")
    def event_type(self, delivery):
        return delivery.event.type

    @admin.display(description=gettext_lazy("last error"))
    def last_error_excerpt(self, delivery):
        error = delivery.last_error
        return error if len(error) <= 80 else error[:79] + "…"

    @admin.display(description=gettext_lazy("event"))
    def event_link(self, delivery):
        url = reverse("admin:webhooks_event_change", args=[delivery.event_id])
        return format_html('<a href="{}">{}</a>', url, delivery.event)

    @admin.display(description=gettext_lazy("body sent"))
    def body(self, delivery):
        return pretty(json.loads(body_of(delivery)))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The change permission allows "Send again" on the list; a delivery's own page only
        # shows it (nothing on it can be edited).
        return obj is None and super().has_change_permission(request)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "type", "model", "object_id")
    list_filter = ("type",)
    search_fields = ("=object_id",)
    show_full_result_count = False
    fields = ("id", "type", "occurred_at", "model", "object_id", "data")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("record"))
    def data(self, event):
        return pretty(event.payload)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
