"""Every change to the catalogue. Pages, admin and the import call these; only people who
may add or change products (the sales managers) get through."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from products.models import Product, normalize_sku

PRODUCT_FIELDS = (
    "sku",
    "name",
    "description",
    "unit",
    "list_price",
    "cost_price",
    "tax_rate",
    "category",
    "is_active",
)


def _check_fields(values: dict) -> None:
    unknown = set(values) - set(PRODUCT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )


def _save(product: Product) -> Product:
    product.sku = normalize_sku(product.sku)
    product.full_clean()
    product.save()
    return product


def create_product(*, by, **values) -> Product:
    """A new product. Needs ``products.add_product``; the SKU is unique (case and spaces
    do not count)."""
    if not by.has_perm("products.add_product"):
        raise PermissionDenied(_("Only a sales manager can add products."))
    _check_fields(values)
    with transaction.atomic():
        return _save(Product(**values))


def update_product(*, product_id, by, **values) -> Product:
    """Change a product. Quotes made before keep their copies of its price and tax rate."""
    if not by.has_perm("products.change_product"):
        raise PermissionDenied(_("Only a sales manager can change products."))
    _check_fields(values)
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product_id)
        for name, value in values.items():
            setattr(product, name, value)
        return _save(product)
