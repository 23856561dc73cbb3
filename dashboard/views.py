"""The dashboard at ``/`` and the CSV export of each of its reports."""

import csv
from contextlib import nullcontext

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from crm.csv_export import csv_cell
from crm.models import ExportLog
from crm.snapshot import RefreshThenRedirect, refresh_minutes, team_aggregates, wants_refresh
from dashboard.cards import dashboard_cards
from dashboard.periods import PeriodForm
from dashboard.sections import Dashboard
from quotes.customer_answers import unseen_answers

#: The dashboard lists at most this many customer answers, the newest first.
CUSTOMER_ANSWERS_SHOWN = 10


def dashboard_for(request) -> tuple[Dashboard, PeriodForm]:
    """The user's dashboard for the period chosen in the query string (this month when the
    choice is missing or invalid)."""
    form = PeriodForm(request.GET or None)
    return Dashboard(request.user, form.chosen_period(), refresh=wants_refresh(request)), form


class DashboardView(RefreshThenRedirect, TemplateView):
    """Where the user stands: their figures (a salesperson) or the team's (a manager) for
    the chosen period, each as a table, some as a chart too, each exportable as CSV."""

    template_name = "dashboard/dashboard.html"

    def get_context_data(self, **kwargs):
        dashboard, form = dashboard_for(self.request)
        period = dashboard.period
        if form.is_bound and not form.is_valid():
            messages.warning(
                self.request, _("The period could not be read; showing this month instead.")
            )
        else:
            # The selector shows the period's own dates, ready to be changed into custom ones.
            form = PeriodForm(
                initial={"period": period.kind, "start": period.start, "end": period.end}
            )
        with team_aggregates() if dashboard.for_manager else nullcontext():
            tables, charts = dashboard.tables(), dashboard.charts()
        return {
            **super().get_context_data(**kwargs),
            "dashboard": dashboard,
            "period": period,
            "form": form,
            "tables": tables,
            "charts": charts,
            "cards": dashboard_cards(dashboard, tables, charts),
            # The customers card, as before the dashboard grew (tests and links rely on it).
            "customer_statuses": dashboard.customer_statuses,
            "customer_total": dashboard.customers.totals["count"],
            "team_figures_minutes": refresh_minutes(),
            # Quotes the user's customers accepted or declined on their link, not yet opened.
            "customer_answers": list(
                unseen_answers(self.request.user)
                .select_related("customer")
                .only("id", "number", "status", "total", "customer_answered_at", "customer__name")
                .order_by("-customer_answered_at", "-id")[:CUSTOMER_ANSWERS_SHOWN]
            ),
        }


class DashboardExportView(View):
    """``?report=<name>&<period>``: one report of the user's dashboard as CSV, with the same
    figures as the page. A report that is not on the user's dashboard is a 404."""

    def get(self, request):
        dashboard, _form = dashboard_for(request)
        name = request.GET.get("report", "")
        try:
            table = dashboard.table(name)
        except KeyError:
            raise Http404(_("There is no such report.")) from None
        period = dashboard.period
        filename = f"dashboard-{name}-{period.start.isoformat()}-{period.end.isoformat()}.csv"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        response.write("\ufeff")
        writer = csv.writer(response)
        count = -1  # the header row is not a row of figures
        for row in table.export_rows():
            writer.writerow([csv_cell(value) for value in row])
            count += 1
        ExportLog.objects.create(
            user=request.user,
            list_name=f"dashboard:{name}",
            query_string=request.GET.urlencode()[:2000],
            row_count=count,
            completed=True,
            finished_at=timezone.now(),
        )
        return response
