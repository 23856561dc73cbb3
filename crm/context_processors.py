from functools import cache

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The areas of the product, in navigation order. An area whose app is not installed
# yet has no URL and is left out, so the menu never holds a dead link.
AREAS = [
    ("customers:list", "customers", _("Customers")),
    ("opportunities:list", "opportunities", _("Opportunities")),
    ("communications:list", "communications", _("Communications")),
    ("products:list", "products", _("Products")),
    ("quotes:list", "quotes", _("Quotes")),
    ("orders:list", "orders", _("Orders")),
    ("imports:list", "imports", _("Import")),
]


@cache
def _available_areas():
    areas = []
    for url_name, namespace, label in AREAS:
        try:
            areas.append((reverse(url_name), namespace, label))
        except NoReverseMatch:
            continue
    return tuple(areas)


def navigation(request):
    match = getattr(request, "resolver_match", None)
    current = match.namespace if match else ""
    return {
        "nav_areas": [
            {"url": url, "label": label, "active": namespace == current}
            for url, namespace, label in _available_areas()
        ],
    }
