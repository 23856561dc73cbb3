from django.contrib.auth.decorators import login_not_required
from django.db.models import Count
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django.views.i18n import set_language

from customers.models import Customer


class DashboardView(TemplateView):
    """The home page. Until the pipeline exists, it shows where the user's customers stand."""

    template_name = "crm/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        customers = Customer.objects.visible_to(self.request.user).active()
        by_status = dict(
            customers.order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        )
        context["customer_statuses"] = [
            {"value": value, "label": label, "count": by_status.get(value, 0)}
            for value, label in Customer.Status.choices
        ]
        context["customer_total"] = sum(by_status.values())
        return context


# The language switch sits on the login page too, so it must not need a login.
switch_language = login_not_required(require_POST(set_language))
