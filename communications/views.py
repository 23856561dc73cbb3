from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from communications import services
from communications.filters import CommunicationFilter
from communications.follow_ups import due_count, follow_ups_for
from communications.forms import CommunicationForm
from communications.models import Communication
from crm.access import VisibleObjectMixin
from crm.csv_export import Column, CsvExportView
from crm.editing import RecordEditView, ServiceFormView, safe_next
from crm.listing import FilteredListView
from customers.models import Customer
from opportunities.models import Opportunity

# The list shows these columns; the content stays in the database until the detail page.
LIST_FIELDS = (
    "id",
    "subject",
    "channel",
    "direction",
    "occurred_at",
    "follow_up_on",
    "follow_up_done",
    "customer",
    "customer__name",
    "opportunity",
    "opportunity__name",
    # Opportunity records its loaded stage (ConcurrentTransitionMixin): a deferred stage
    # would cost a query per row.
    "opportunity__stage",
    "author",
    "author__username",
    "author__first_name",
    "author__last_name",
)


def _parse_id(value) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


class CommunicationListView(FilteredListView):
    model = Communication
    filterset_class = CommunicationFilter
    list_select_related = ("customer", "opportunity", "author")
    template_name = "communications/communication_list.html"

    def visible_queryset(self):
        return super().visible_queryset().only(*LIST_FIELDS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Links from a customer's or an opportunity's page filter by its id; name it.
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        if customer_id := cleaned.get("customer"):
            context["filter_customer"] = (
                Customer.objects.visible_to(self.request.user)
                .filter(pk=customer_id)
                .only("id", "name")
                .first()
            )
        if opportunity_id := cleaned.get("opportunity"):
            context["filter_opportunity"] = (
                Opportunity.objects.visible_to(self.request.user)
                .filter(pk=opportunity_id)
                .only("id", "name", "stage", "customer_id")
                .first()
            )
        return context


class CommunicationExportView(CsvExportView):
    model = Communication
    filterset_class = CommunicationFilter
    list_name = "communications"
    columns = [
        Column("id", gettext_lazy("ID")),
        Column("occurred_at", gettext_lazy("When")),
        Column("customer__name", gettext_lazy("Customer")),
        Column("opportunity__name", gettext_lazy("Opportunity")),
        Column("channel", gettext_lazy("Channel"), Communication.Channel.choices),
        Column("direction", gettext_lazy("Direction"), Communication.Direction.choices),
        Column("subject", gettext_lazy("Subject")),
        Column("content", gettext_lazy("Content")),
        Column("author__username", gettext_lazy("Author")),
        Column("follow_up_on", gettext_lazy("Follow up on")),
        Column("follow_up_done", gettext_lazy("Follow-up done")),
        Column("follow_up_done_at", gettext_lazy("Follow-up done at")),
        Column("created_at", gettext_lazy("Created")),
        Column("updated_at", gettext_lazy("Updated")),
    ]


class CommunicationFormMixin:
    form_class = CommunicationForm
    template_name = "communications/communication_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class CommunicationCreateView(CommunicationFormMixin, ServiceFormView):
    """Log a communication; ``?customer=<id>`` or ``?opportunity=<id>`` pre-fill the form
    (ids the user may not see are ignored), ``?find=<text>`` narrows the customer menu."""

    def get_initial(self):
        initial = super().get_initial()
        user = self.request.user
        opportunity_id = _parse_id(self.request.GET.get("opportunity"))
        customer_id = _parse_id(self.request.GET.get("customer"))
        opportunity = (
            Opportunity.objects.visible_to(user).filter(pk=opportunity_id).first()
            if opportunity_id
            else None
        )
        if opportunity:
            initial["opportunity"] = opportunity.pk
            initial["customer"] = opportunity.customer_id
        elif customer_id:
            initial["customer"] = customer_id
        return initial

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "customer_search": self.request.GET.get("find", ""),
            "refresh_url": self.request.path,
        }

    def get_template_names(self):
        # Choosing a customer asks (with htmx) for the opportunity menu of that customer.
        if self.request.method == "GET" and self.request.htmx:
            return [f"{self.template_name}#opportunity_field"]
        return super().get_template_names()

    def save(self, form):
        communication = services.create_communication(by=self.request.user, **form.service_values())
        messages.success(
            self.request,
            _("Communication “%(subject)s” logged.") % {"subject": communication.subject},
        )
        return communication


class CommunicationUpdateView(CommunicationFormMixin, RecordEditView):
    model = Communication
    record_select_related = ("customer",)

    def save(self, form):
        communication = services.update_communication(
            communication_id=self.object.pk, by=self.request.user, **form.service_values()
        )
        messages.success(
            self.request,
            _("Communication “%(subject)s” saved.") % {"subject": communication.subject},
        )
        return communication


class CommunicationDetailView(VisibleObjectMixin, DetailView):
    model = Communication
    template_name = "communications/communication_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("customer", "opportunity", "author")


class FollowUpListView(TemplateView):
    """ "My follow-ups": open follow-ups on the user's customers or written by them."""

    template_name = "communications/follow_ups.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(follow_ups=follow_ups_for(self.request.user), **kwargs)


class FollowUpDoneView(VisibleObjectMixin, View):
    """POST only: mark a follow-up done (``done=0`` opens it again).

    Without JavaScript it redirects back with a message; from htmx it answers with the row
    that replaces the follow-up (a small "done" row with an undo button, or the follow-up
    again after an undo) and the navigation count, updated out of band.
    """

    model = Communication
    http_method_names = ["post"]

    def post(self, request, pk):
        communication = get_object_or_404(self.get_queryset(), pk=pk)
        done = request.POST.get("done", "1") != "0"
        error = None
        try:
            communication = services.set_follow_up_done(
                communication_id=communication.pk, by=request.user, done=done
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        if request.htmx:
            return TemplateResponse(
                request,
                "communications/follow_ups.html#htmx_answer",
                {
                    "communication": communication,
                    "error": error,
                    "due_count": due_count(request.user),
                },
            )
        if error:
            messages.error(request, error)
        elif done:
            messages.success(
                request,
                _("Follow-up “%(subject)s” marked done.") % {"subject": communication.subject},
            )
        else:
            messages.success(
                request,
                _("Follow-up “%(subject)s” opened again.") % {"subject": communication.subject},
            )
        return redirect(safe_next(request, reverse("communications:follow_ups")))
