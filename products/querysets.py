from django.db.models import Q

from crm.access import VisibleQuerySet

#: The product search of a quote line offers at most this many products.
SEARCH_LIMIT = 50


class ProductQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        # The catalogue is everyone's: every active user reads it (costs are hidden apart).
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()

    def active(self):
        return self.filter(is_active=True)

    def search(self, term: str, *, limit: int = SEARCH_LIMIT) -> list:
        """Up to ``limit`` active products for a quote line's search box: SKUs starting
        with the term first (SKU order, the prefix index), then names or SKUs containing
        it (name order, the trigram indexes on PostgreSQL). Two bounded queries whatever
        the size of the catalogue; a term under two characters finds only SKU prefixes."""
        from products.models import normalize_sku

        term = " ".join((term or "").split())[:100]
        if not term:
            return []
        rows = self.active().only("id", "sku", "name", "unit", "list_price", "tax_rate")
        found = list(rows.filter(sku__startswith=normalize_sku(term)).order_by("sku")[:limit])
        if len(found) < limit and len(term) >= 2:
            more = (
                rows.filter(Q(name__icontains=term) | Q(sku__icontains=term))
                .exclude(pk__in=[p.pk for p in found])
                .order_by("name", "id")[: limit - len(found)]
            )
            found += list(more)
        return found
