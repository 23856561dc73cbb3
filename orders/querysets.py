from crm.access import VisibleQuerySet


class OrderQuerySet(VisibleQuerySet):
    # A salesperson sees the orders of the customers they own.
    owner_path = "customer_owner"

    def awaiting_approval(self):
        return self.filter(status="pending_approval")

    def booked(self):
        """Orders that count as sales: confirmed and beyond, not cancelled."""
        return self.filter(status__in=["confirmed", "fulfilled", "completed"])


class OrderLineQuerySet(VisibleQuerySet):
    owner_path = "order__customer_owner"
