from django.utils import timezone

from crm.access import VisibleQuerySet


class QuoteQuerySet(VisibleQuerySet):
    # A salesperson sees the quotes of the customers they own.
    owner_path = "customer_owner"

    def awaiting_approval(self):
        return self.filter(status="pending_approval")

    def past_validity(self, today=None):
        """Approved or sent quotes whose valid-until date has passed (to be expired)."""
        today = today or timezone.localdate()
        return self.filter(status__in=["approved", "sent"], valid_until__lt=today)


class QuoteLineQuerySet(VisibleQuerySet):
    owner_path = "quote__customer_owner"
