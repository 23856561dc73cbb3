"""The pipeline board and the forecast: a whole team's deals at a glance, aggregated in SQL."""

import csv

from django.db.models import F
from django.http import HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from crm.csv_export import csv_cell
from crm.models import ExportLog
from crm.roles import is_manager
from crm.snapshot import (
    RefreshThenRedirect,
    figures_key,
    refresh_minutes,
    team_aggregates,
    team_figures,
    wants_refresh,
)
from opportunities.filters import PipelineFilter
from opportunities.models import Opportunity
from opportunities.stages import OPEN_STAGES, Stage

CARDS_PER_COLUMN = 30


def board_context(request, query: QueryDict) -> dict:
    """Columns of open deals per stage with count, amount and weighted amount.

    One grouped query for the totals and one bounded query per column, whatever the size of
    the pipeline; a column shows its first deals by close date and links to the rest.
    """
    deals = Opportunity.objects.visible_to(request.user).open()
    filterset = PipelineFilter(query, queryset=deals, request=request)
    deals = filterset.qs
    totals = deals.totals_by_stage()
    columns = []
    for stage in map(Stage, OPEN_STAGES):
        stage_totals = totals.get(stage.value, {})
        cards = list(
            deals.filter(stage=stage)
            .select_related("customer", "owner")
            .order_by(F("expected_close_date").asc(nulls_last=True), "id")[:CARDS_PER_COLUMN]
        )
        columns.append(
            {
                "stage": stage,
                "cards": cards,
                "count": stage_totals.get("count", 0),
                "amount": stage_totals.get("amount", 0),
                "weighted": stage_totals.get("weighted", 0),
                "more": stage_totals.get("count", 0) - len(cards),
            }
        )
    return {
        "filterset": filterset,
        "columns": columns,
        "open_stages": [Stage(s) for s in OPEN_STAGES],
        "board_query": query.urlencode(),
        "board_url": f"{reverse('opportunities:board')}?{query.urlencode()}",
        "total": deals.totals(),
    }


def render_board(request, query_string: str):
    """The board's partial, for htmx after a card moved."""
    context = board_context(request, QueryDict(query_string))
    return TemplateResponse(request, "opportunities/board.html#board", context)


class BoardView(TemplateView):
    template_name = "opportunities/board.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **board_context(self.request, self.request.GET),
        }


def forecast_rows(request, query):
    """Rows of the forecast by expected close month (and owner, for managers), with the
    open amount, the weighted amount and what was won; plus the totals row and, for a
    manager, when these team figures were computed (crm.snapshot)."""
    deals = Opportunity.objects.visible_to(request.user)
    filterset = PipelineFilter(query, queryset=deals, request=request)
    split_by_owner = is_manager(request.user)

    def compute():
        rows = filterset.qs.forecast_by_month(split_by_owner=split_by_owner)
        return list(rows), filterset.qs.forecast_totals()

    def compute_team():
        with team_aggregates():
            return compute()

    if not split_by_owner:
        return filterset, split_by_owner, *compute(), None
    filterset.is_valid()
    # The figures depend only on the valid filters, not on how the query string spells them.
    chosen = sorted(
        (k, str(getattr(v, "pk", v))) for k, v in filterset.form.cleaned_data.items() if v
    )
    as_of, (rows, totals) = team_figures(
        figures_key("forecast", chosen), compute_team, refresh=wants_refresh(request)
    )
    return filterset, split_by_owner, rows, totals, as_of


class ForecastView(RefreshThenRedirect, TemplateView):
    template_name = "opportunities/forecast.html"

    def get_context_data(self, **kwargs):
        filterset, split_by_owner, rows, totals, as_of = forecast_rows(
            self.request, self.request.GET
        )
        return {
            **super().get_context_data(**kwargs),
            "filterset": filterset,
            "split_by_owner": split_by_owner,
            "rows": rows,
            "totals": totals,
            "as_of": as_of,
            "team_figures_minutes": refresh_minutes(),
        }


class ForecastExportView(View):
    """The forecast table as CSV, with the same rules as every export (crm.csv_export)."""

    def get(self, request):
        _filterset, split_by_owner, rows, _totals, _as_of = forecast_rows(request, request.GET)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="forecast-{timezone.localdate().isoformat()}.csv"'
        )
        response.write("\ufeff")
        writer = csv.writer(response)
        header = [_("Month")]
        if split_by_owner:
            header.append(_("Owner"))
        header += [_("Open deals"), _("Open amount"), _("Weighted amount"), _("Won amount")]
        writer.writerow(header)
        count = 0
        for row in rows:
            month = row["month"].strftime("%Y-%m") if row["month"] else ""
            cells = [month]
            if split_by_owner:
                cells.append(row["owner__username"])
            cells += [row["open_count"], row["open_amount"], row["weighted"], row["won_amount"]]
            writer.writerow([csv_cell(cell) for cell in cells])
            count += 1
        ExportLog.objects.create(
            user=request.user,
            list_name="forecast",
            query_string=request.GET.urlencode()[:2000],
            row_count=count,
            completed=True,
            finished_at=timezone.now(),
        )
        return response
