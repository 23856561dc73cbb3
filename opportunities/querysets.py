from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from crm.access import VisibleQuerySet
from opportunities.stages import OPEN_STAGES

ZERO = Value(0, output_field=DecimalField(max_digits=16, decimal_places=2))


class OpportunityQuerySet(VisibleQuerySet):
    # A salesperson sees the opportunities of the customers they own.
    owner_path = "customer__owner"

    def open(self):
        return self.filter(stage__in=OPEN_STAGES)

    def totals(self) -> dict:
        """Count, amount and weighted amount in one aggregate query."""
        return self.aggregate(
            count=Count("id"),
            amount=Coalesce(Sum("amount"), ZERO),
            weighted=Coalesce(Sum("weighted_amount"), ZERO),
        )

    def totals_by_stage(self) -> dict:
        """{stage: {count, amount, weighted}} in one grouped query."""
        rows = (
            self.order_by()
            .values("stage")
            .annotate(
                count=Count("id"),
                amount=Coalesce(Sum("amount"), ZERO),
                weighted=Coalesce(Sum("weighted_amount"), ZERO),
            )
        )
        return {row["stage"]: row for row in rows}

    def won_or_open(self):
        return self.filter(Q(stage__in=OPEN_STAGES) | Q(stage="won"))
