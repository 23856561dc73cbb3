from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from crm.models import ExportLog

admin.site.site_header = admin.site.site_title = _("Sales CRM")


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read-only: an audit trail that nobody edits."""

    list_display = ("started_at", "user", "list_name", "query_string", "row_count", "completed")
    list_filter = ("list_name", "completed", "started_at")
    search_fields = ("user__username", "query_string")
    list_select_related = ("user",)
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
