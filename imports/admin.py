from django.contrib import admin

from imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Every import, for managers to look through; runs change only through their pages."""

    list_display = (
        "file_name",
        "kind",
        "created_by",
        "created_at",
        "status",
        "total_rows",
        "created_count",
        "updated_count",
        "skipped_count",
        "failed_count",
        "undone_at",
    )
    list_filter = ("kind", "status")
    list_select_related = ("created_by",)
    search_fields = ("file_name", "created_by__username")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
