"""The catalogue's pages: everyone reads it, managers add and change products, nobody but
the holders of ``products.view_cost_price`` sees a cost price (pages, export, search)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from crm.access import VisibleObjectMixin
from crm.csv_export import Column, CsvExportView
from crm.editing import RecordEditView, ServiceFormView
from crm.listing import FilteredListView
from products import services
from products.filters import ProductFilter
from products.forms import ProductForm
from products.models import Product, can_see_cost
from products.querysets import SEARCH_LIMIT

LIST_FIELDS = ("id", "sku", "name", "category", "unit", "list_price", "tax_rate", "is_active")


class ProductListView(FilteredListView):
    model = Product
    filterset_class = ProductFilter
    template_name = "products/product_list.html"

    def visible_queryset(self):
        fields = [*LIST_FIELDS, "updated_at"]
        if can_see_cost(self.request.user):
            fields.append("cost_price")
        return super().visible_queryset().only(*fields)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_see_cost=can_see_cost(self.request.user),
            can_add=self.request.user.has_perm("products.add_product"),
            **kwargs,
        )


class ProductExportView(CsvExportView):
    model = Product
    filterset_class = ProductFilter
    list_name = "products"
    columns = [
        Column("sku", gettext_lazy("SKU")),
        Column("name", gettext_lazy("Name")),
        Column("category", gettext_lazy("Category")),
        Column("unit", gettext_lazy("Unit")),
        Column("list_price", gettext_lazy("List price")),
        Column("cost_price", gettext_lazy("Cost price")),
        Column("tax_rate", gettext_lazy("Tax %")),
        Column("is_active", gettext_lazy("Active")),
        Column("description", gettext_lazy("Description")),
        Column("updated_at", gettext_lazy("Updated")),
    ]

    def get_columns(self):
        if can_see_cost(self.request.user):
            return self.columns
        return [column for column in self.columns if column.path != "cost_price"]


class ProductSearchView(View):
    """GET ``?q=``: up to 50 active products for a quote line's product box, as JSON
    (two index-backed queries however large the catalogue; never a cost price)."""

    http_method_names = ["get"]

    def get(self, request):
        products = Product.objects.visible_to(request.user).search(
            request.GET.get("q", ""), limit=SEARCH_LIMIT
        )
        return JsonResponse(
            {
                "results": [
                    {
                        "id": product.pk,
                        "sku": product.sku,
                        "name": product.name,
                        "unit": product.unit,
                        "list_price": str(product.list_price),
                        "tax_rate": str(product.tax_rate),
                    }
                    for product in products
                ]
            }
        )


class ProductDetailView(VisibleObjectMixin, DetailView):
    model = Product
    template_name = "products/product_detail.html"

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if can_see_cost(self.request.user) else queryset.defer("cost_price")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_see_cost=can_see_cost(self.request.user),
            can_change=self.request.user.has_perm("products.change_product"),
            **kwargs,
        )


class ProductCreateView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "products.add_product"
    form_class = ProductForm
    template_name = "products/product_form.html"

    def save(self, form):
        product = services.create_product(by=self.request.user, **form.service_values())
        messages.success(self.request, _("Product %(sku)s added.") % {"sku": product.sku})
        return product


class ProductUpdateView(PermissionRequiredMixin, RecordEditView):
    permission_required = "products.change_product"
    model = Product
    form_class = ProductForm
    template_name = "products/product_form.html"

    def save(self, form):
        product = services.update_product(
            product_id=self.object.pk, by=self.request.user, **form.service_values()
        )
        messages.success(self.request, _("Product %(sku)s saved.") % {"sku": product.sku})
        return product
