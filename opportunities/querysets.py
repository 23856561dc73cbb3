from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from crm.access import VisibleQuerySet
from crm.counting import ROW
from opportunities.stages import OPEN_STAGES, Stage

ZERO = Value(0, output_field=DecimalField(max_digits=16, decimal_places=2))


class OpportunityQuerySet(VisibleQuerySet):
    # A salesperson sees the opportunities of the customers they own.
    owner_path = "customer_owner"

    def open(self):
        return self.filter(stage__in=OPEN_STAGES)

    def totals(self) -> dict:
        """Count, amount and weighted amount in one aggregate query."""
        return self.aggregate(
            count=Count("*"),
            amount=Coalesce(Sum("amount"), ZERO),
            weighted=Coalesce(Sum("weighted_amount"), ZERO),
        )

    def totals_by_stage(self) -> dict:
        """{stage: {count, amount, weighted}} in one grouped query."""
        rows = (
            self.order_by()
            .values("stage")
            .annotate(
                count=Count("*"),
                amount=Coalesce(Sum("amount"), ZERO),
                weighted=Coalesce(Sum("weighted_amount"), ZERO),
            )
        )
        return {row["stage"]: row for row in rows}

    def forecast_figures(self) -> dict:
        """The forecast's aggregates: open deals, their amount and weighted amount, and the
        amount won. For ``annotate`` (per group) or ``aggregate`` (the totals row)."""
        is_open = Q(stage__in=OPEN_STAGES)
        return {
            "open_count": Count(ROW, filter=is_open),
            "open_amount": Coalesce(Sum("amount", filter=is_open), ZERO),
            "weighted": Coalesce(Sum("weighted_amount", filter=is_open), ZERO),
            "won_amount": Coalesce(Sum("amount", filter=Q(stage=Stage.WON)), ZERO),
        }

    def forecast_by_month(self, *, split_by_owner: bool = False):
        """Open and won deals grouped by expected close month (and by owner when asked), with
        `forecast_figures`; months in order, deals without a close date last. One query."""
        owner = ("owner__username", "owner__first_name", "owner__last_name")
        group = ["month", *(owner if split_by_owner else ())]
        return (
            self.won_or_open()
            .order_by()
            .annotate(month=TruncMonth("expected_close_date"))
            .values(*group)
            .annotate(**self.forecast_figures())
            .order_by(F("month").asc(nulls_last=True), *group[1:2])
        )

    def forecast_totals(self) -> dict:
        """The forecast's totals row over the same deals as `forecast_by_month`."""
        return self.won_or_open().order_by().aggregate(**self.forecast_figures())

    def won_or_open(self):
        return self.filter(Q(stage__in=OPEN_STAGES) | Q(stage="won"))
