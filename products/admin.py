"""The catalogue in admin. Saving goes through products.services; the cost price is left
out, in the list and the form, for anyone without ``products.view_cost_price``."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from crm.workflow import refusal_message
from products import services
from products.forms import ProductForm
from products.models import Product, can_see_cost


class ProductAdminForm(ProductForm):
    class Meta(ProductForm.Meta):
        pass


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    list_display = ("sku", "name", "category", "unit", "list_price", "tax_rate", "is_active")
    list_filter = ("is_active", "tax_rate")
    search_fields = ("sku", "name")
    show_full_result_count = False
    readonly_fields = ("created_at", "updated_at")

    def get_list_display(self, request):
        shown = list(super().get_list_display(request))
        if can_see_cost(request.user):
            shown.insert(shown.index("list_price") + 1, "cost_price")
        return shown

    def get_fields(self, request, obj=None):
        fields = [*ProductForm.Meta.fields, *self.readonly_fields]
        if not can_see_cost(request.user):
            fields.remove("cost_price")
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not can_see_cost(request.user):
            kwargs["exclude"] = ["cost_price"]
            kwargs["fields"] = [f for f in ProductForm.Meta.fields if f != "cost_price"]
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if change:
                if values:
                    saved = services.update_product(product_id=obj.pk, by=request.user, **values)
                    obj.pk = saved.pk
            else:
                values = {
                    name: form.cleaned_data[name]
                    for name in form.cleaned_data
                    if name in services.PRODUCT_FIELDS
                }
                obj.pk = services.create_product(by=request.user, **values).pk
        except (ValidationError, PermissionDenied) as error:
            # The form checked the values already; what is left is a permission refusal.
            self.message_user(request, refusal_message(error), messages.ERROR)
