"""Managers' view of every API token: who has one, what for, when it was last used, and
"revoke". Tokens are made on the profile's API tokens page or by ``issue_api_token`` (the key
is shown only to its owner, once), never here; the key's hash is never shown."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken
from api.tokens import revoke_tokens


@admin.action(description=_("Revoke the selected tokens"), permissions=["change"])
def revoke(modeladmin, request, queryset):
    try:
        count = revoke_tokens(token_ids=queryset.values_list("pk", flat=True), by=request.user)
    except PermissionDenied as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return
    modeladmin.message_user(
        request,
        ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "read_only",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("read_only", ("revoked_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    date_hierarchy = "created_at"
    # key_hash is in no list: nobody needs it, and it is not shown.
    fields = ("user", "name", "prefix", "read_only", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields
    actions = [revoke]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the list keeps who had access when
