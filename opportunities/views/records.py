"""List, export, create, edit, and the page of one opportunity with its stage buttons."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from crm.access import VisibleObjectMixin
from crm.csv_export import Column, CsvExportView
from crm.editing import RecordEditView, ServiceFormView, safe_next
from crm.history import transition_history
from crm.listing import FilteredListView
from crm.panels import render_panels
from opportunities import services
from opportunities.filters import OpportunityFilter
from opportunities.forms import OpportunityCreateForm, OpportunityForm, StageChangeForm
from opportunities.models import Opportunity
from opportunities.stages import Stage
from opportunities.views.pipeline import render_board


class OpportunityListView(FilteredListView):
    model = Opportunity
    filterset_class = OpportunityFilter
    list_select_related = ("customer", "owner")
    template_name = "opportunities/opportunity_list.html"


class OpportunityExportView(CsvExportView):
    model = Opportunity
    filterset_class = OpportunityFilter
    list_name = "opportunities"
    columns = [
        Column("id", gettext_lazy("ID")),
        Column("name", gettext_lazy("Name")),
        Column("customer__name", gettext_lazy("Customer")),
        Column("stage", gettext_lazy("Stage"), Stage.choices),
        Column("amount", gettext_lazy("Amount")),
        Column("probability", gettext_lazy("Probability (%)")),
        Column("weighted_amount", gettext_lazy("Weighted amount")),
        Column("expected_close_date", gettext_lazy("Expected close date")),
        Column("owner__username", gettext_lazy("Owner")),
        Column("next_step", gettext_lazy("Next step")),
        Column("lost_reason", gettext_lazy("Lost reason")),
        Column("created_at", gettext_lazy("Created")),
        Column("updated_at", gettext_lazy("Updated")),
        Column("closed_at", gettext_lazy("Closed")),
    ]


class OpportunityCreateView(ServiceFormView):
    form_class = OpportunityCreateForm
    template_name = "opportunities/opportunity_form.html"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "customer_search": self.request.GET.get("find", ""),
        }

    def get_initial(self):
        initial = super().get_initial()
        customer = self.request.GET.get("customer", "")
        if customer.isdigit():
            initial["customer"] = customer
        return initial

    def save(self, form):
        opportunity = services.create_opportunity(by=self.request.user, **form.service_values())
        messages.success(
            self.request, _("Opportunity “%(name)s” created.") % {"name": opportunity.name}
        )
        return opportunity


class OpportunityUpdateView(RecordEditView):
    model = Opportunity
    form_class = OpportunityForm
    template_name = "opportunities/opportunity_form.html"
    record_select_related = ("customer",)

    def save(self, form):
        opportunity = services.update_opportunity(
            opportunity_id=self.object.pk, by=self.request.user, **form.service_values()
        )
        messages.success(
            self.request, _("Opportunity “%(name)s” saved.") % {"name": opportunity.name}
        )
        return opportunity


class OpportunityDetailView(VisibleObjectMixin, DetailView):
    model = Opportunity
    template_name = "opportunities/opportunity_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("customer", "owner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opportunity = self.object
        context["stage_targets"] = [Stage(s) for s in services.allowed_stages(opportunity)]
        context["history"] = transition_history(opportunity, Stage.choices)
        context["panels"] = render_panels("opportunity", self.request, opportunity)
        return context


class StageChangeView(VisibleObjectMixin, View):
    """POST only: move an opportunity to another stage (buttons on its page and the board)."""

    model = Opportunity
    http_method_names = ["post"]

    def post(self, request, pk):
        opportunity = get_object_or_404(self.get_queryset(), pk=pk)
        form = StageChangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a stage to move to."))
        else:
            try:
                opportunity = services.change_stage(
                    opportunity_id=opportunity.pk,
                    by=request.user,
                    to=form.cleaned_data["to"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("“%(name)s” is now %(stage)s.")
                    % {"name": opportunity.name, "stage": opportunity.get_stage_display()},
                )
        return self.respond(request, opportunity)

    def respond(self, request, opportunity):
        if request.htmx and request.POST.get("board") is not None:
            return render_board(request, request.POST.get("board", ""))
        return redirect(safe_next(request, opportunity.get_absolute_url()))
