import django_filters
from django.utils.translation import gettext_lazy as _

from crm.filters import CrmFilterSet
from products.models import Product


class ProductFilter(CrmFilterSet):
    ACTIVE_CHOICES = [("active", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))]

    category = django_filters.CharFilter(field_name="category", label=_("Category"))
    active = django_filters.ChoiceFilter(
        choices=ACTIVE_CHOICES, method="filter_active", label=_("Active"), empty_label=None
    )

    search_fields = ("sku", "name")
    sort_fields = {
        "sku": ("sku",),
        "name": ("name",),
        "category": ("category", "name"),
        "price": ("list_price",),
        "updated": ("updated_at",),
    }
    default_sort = "name"

    class Meta:
        model = Product
        fields = []

    def filter_queryset(self, queryset):
        # Inactive products stay out of the working list unless asked for.
        if not self.form.cleaned_data.get("active"):
            queryset = queryset.filter(is_active=True)
        return super().filter_queryset(queryset)

    def filter_active(self, queryset, name, value):
        if value == "active":
            return queryset.filter(is_active=True)
        if value == "inactive":
            return queryset.filter(is_active=False)
        return queryset
