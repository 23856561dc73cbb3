"""List, export, create, edit, and the page of one quote with its action buttons (its
printable version and PDF: quotes.document_views; its revisions: quotes.revision_views).
Every change goes through quotes.services; the views only translate HTTP into those calls
and their refusals into messages."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from crm.access import VisibleObjectMixin
from crm.csv_export import Column, CsvExportView
from crm.editing import RecordEditView, ServiceFormView, safe_next
from crm.history import transition_history
from crm.listing import FilteredListView
from crm.panels import render_panels
from crm.workflow import refusal_message
from customers.models import Customer
from opportunities.models import Opportunity
from products.models import can_see_cost
from quotes import customer_answers, public_links, services
from quotes.filters import QuoteFilter
from quotes.forms import QuoteForm, line_formset
from quotes.lines import taxes_by_rate
from quotes.models import Quote
from quotes.revision_views import CUSTOMER_LINK_STATUSES, revisions_of

#: Empty line rows offered on a new quote and when editing one (the "Add line" button
#: adds more).
EXTRA_LINES_NEW, EXTRA_LINES_EDIT = 3, 1
#: A new quote is offered as valid for this many days; the salesperson may change it.
DEFAULT_VALIDITY_DAYS = 30


def _parse_id(value) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk < 2**63 else None


class QuoteListView(FilteredListView):
    model = Quote
    filterset_class = QuoteFilter
    list_select_related = ("customer", "opportunity", "created_by")
    template_name = "quotes/quote_list.html"

    def visible_queryset(self):
        # Terms and notes can be long and the list does not show them.
        return super().visible_queryset().defer("terms", "notes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Links from a customer's or an opportunity's page filter by its id; name it.
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        user = self.request.user
        if customer_id := cleaned.get("customer"):
            context["filter_customer"] = (
                Customer.objects.visible_to(user).filter(pk=customer_id).only("id", "name").first()
            )
        if opportunity_id := cleaned.get("opportunity"):
            context["filter_opportunity"] = (
                Opportunity.objects.visible_to(user)
                .filter(pk=opportunity_id)
                .only("id", "name", "stage", "customer_id")
                .first()
            )
        return context


class QuoteExportView(CsvExportView):
    model = Quote
    filterset_class = QuoteFilter
    list_name = "quotes"
    columns = [
        Column("number", gettext_lazy("Number")),
        Column("customer__name", gettext_lazy("Customer")),
        Column("opportunity__name", gettext_lazy("Opportunity")),
        Column("status", gettext_lazy("Status"), Quote.Status.choices),
        Column("subtotal", gettext_lazy("Subtotal")),
        Column("discount_total", gettext_lazy("Discount")),
        Column("net_total", gettext_lazy("Net")),
        Column("tax_total", gettext_lazy("Tax")),
        Column("total", gettext_lazy("Total")),
        Column("margin", gettext_lazy("Margin")),
        Column("margin_percent", gettext_lazy("Margin %")),
        Column("valid_until", gettext_lazy("Valid until")),
        Column("created_by__username", gettext_lazy("Created by")),
        Column("created_at", gettext_lazy("Created")),
        Column("submitted_by__username", gettext_lazy("Submitted by")),
        Column("submitted_at", gettext_lazy("Submitted")),
        Column("decided_by__username", gettext_lazy("Approved or rejected by")),
        Column("auto_approved_by_rule", gettext_lazy("Approved automatically by rule")),
        Column("required_by_rule", gettext_lazy("Needs a manager under rule")),
        Column("decided_at", gettext_lazy("Decided")),
        Column("decision_reason", gettext_lazy("Reason")),
        Column("sent_at", gettext_lazy("Sent")),
        Column("closed_at", gettext_lazy("Closed")),
    ]
    #: Columns only holders of ``products.view_cost_price`` export.
    COST_COLUMNS = ("margin", "margin_percent")

    def get_columns(self):
        if can_see_cost(self.request.user):
            return self.columns
        return [column for column in self.columns if column.path not in self.COST_COLUMNS]


class QuoteFormMixin:
    """A quote form with its lines: both must be valid before the service is called."""

    form_class = QuoteForm
    template_name = "quotes/quote_form.html"
    extra_lines = EXTRA_LINES_NEW

    def existing_lines(self):
        return ()

    def get_formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return line_formset(data, lines=self.existing_lines(), extra=self.extra_lines)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        self.formset = self.get_formset()
        # Validate both, so the page shows every mistake at once.
        if all([form.is_valid(), self.formset.is_valid()]):
            return self.form_valid(form)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        if not hasattr(self, "formset"):
            self.formset = self.get_formset()
        quote = getattr(self, "object", None)
        include_tax = (
            quote.prices_include_tax if quote is not None else settings.CRM_PRICES_INCLUDE_TAX
        )
        return super().get_context_data(
            formset=self.formset, prices_include_tax=include_tax, **kwargs
        )


class QuoteCreateView(QuoteFormMixin, ServiceFormView):
    """A new draft quote for the opportunity named by ``?opportunity=<id>``.

    The page shows the opportunity and its customer; one the user may not see is a 404.
    A crafted POST naming someone else's opportunity reaches the service, which refuses it.
    """

    def dispatch(self, request, *args, **kwargs):
        self.opportunity_id = _parse_id(request.GET.get("opportunity"))
        if self.opportunity_id is None:
            if request.method == "POST":
                raise Http404
            messages.info(
                request, _("Open the opportunity to quote and choose “New quote” on its page.")
            )
            return redirect("opportunities:list")
        self.opportunity = (
            Opportunity.objects.visible_to(request.user)
            .select_related("customer")
            .filter(pk=self.opportunity_id)
            .first()
        )
        if self.opportunity is None and request.method != "POST":
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            **super().get_initial(),
            "valid_until": timezone.localdate() + timedelta(days=DEFAULT_VALIDITY_DAYS),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(opportunity=self.opportunity, **kwargs)

    def save(self, form):
        quote = services.create_quote(
            by=self.request.user,
            opportunity_id=self.opportunity_id,
            lines=self.formset.lines(),
            **form.service_values(),
        )
        messages.success(self.request, _("Quote %(number)s saved as a draft.") % {"number": quote})
        return quote


class QuoteUpdateView(QuoteFormMixin, RecordEditView):
    """Edit a draft: its details and all its lines. Anything but a draft is frozen."""

    model = Quote
    record_select_related = ("customer", "opportunity")
    extra_lines = EXTRA_LINES_EDIT

    def dispatch(self, request, *args, **kwargs):
        quote = get_object_or_404(self.get_queryset().only("id", "status"), pk=kwargs["pk"])
        if not quote.is_editable:
            messages.warning(request, services.WORKFLOW.sentence(quote, "change"))
            return redirect(quote.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def existing_lines(self):
        return self.object.lines.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(opportunity=self.object.opportunity, **kwargs)

    def save(self, form):
        quote = services.update_quote(
            quote_id=self.object.pk,
            by=self.request.user,
            lines=self.formset.lines(),
            **form.service_values(),
        )
        messages.success(self.request, _("Quote %(number)s saved.") % {"number": quote})
        return quote


class QuoteDetailView(VisibleObjectMixin, DetailView):
    model = Quote
    template_name = "quotes/quote_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("customer", "opportunity", "created_by", "submitted_by", "decided_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quote, user = self.object, self.request.user
        actions = services.available_actions(quote, user)
        customer_answers.mark_answer_seen(quote, by=user)
        lines = list(quote.lines.all())
        context.update(
            lines=lines,
            taxes=taxes_by_rate(lines),
            can_see_cost=can_see_cost(user),
            revisions=revisions_of(quote),
            # The customer's link, for the revision that can still be answered or was.
            customer_link=(
                self.request.build_absolute_uri(public_links.path_for(quote))
                if quote.public_key and quote.status in CUSTOMER_LINK_STATUSES
                else None
            ),
            actions=actions,
            history=transition_history(quote, Quote.Status.choices),
            # Tell a manager why the approve buttons are missing on their own quote.
            four_eyes_blocked=(
                quote.status == Quote.Status.PENDING_APPROVAL
                and "approve" not in actions
                and user.has_perm("quotes.approve_quote")
            ),
            panels=render_panels("quote", self.request, quote),
        )
        return context


#: What each action button calls, and the message on success.
TRANSITIONS = {
    "submit": services.submit_quote,
    "approve": services.approve_quote,
    "reject": services.reject_quote,
    "revise": services.revise_quote,
    "send": services.send_quote,
    "accept": services.accept_quote,
    "decline": services.decline_quote,
    "cancel": services.cancel_quote,
}


def _success_message(action: str, quote: Quote) -> str:
    number = quote.number
    if action == "submit" and quote.status == Quote.Status.APPROVED:
        return _("Quote %(number)s was approved automatically by the rule “%(rule)s”.") % {
            "number": number,
            "rule": quote.auto_approved_by_rule,
        }
    texts = {
        "submit": _("Quote %(number)s is waiting for a manager's approval."),
        "approve": _("Quote %(number)s approved."),
        "reject": _("Quote %(number)s rejected."),
        "revise": _("Quote %(number)s is a draft again: change it and submit it anew."),
        "new_revision": _(
            "Revision %(number)s is a draft copy: change it and submit it for approval; "
            "the earlier revision is superseded."
        ),
        "send": _("Quote %(number)s marked as sent to the customer."),
        "accept": _("Quote %(number)s accepted by the customer."),
        "decline": _("Quote %(number)s declined by the customer."),
        "cancel": _("Quote %(number)s cancelled."),
    }
    return texts[action] % {"number": number}


class QuoteTransitionView(VisibleObjectMixin, View):
    """POST only: one action button of the quote's page (submit, approve, reject with a
    reason, revise, send, accept, decline, cancel). A refusal is a message on the page."""

    model = Quote
    http_method_names = ["post"]

    def post(self, request, pk, action):
        service = TRANSITIONS.get(action)
        if service is None:
            raise Http404
        quote = get_object_or_404(self.get_queryset().only("id", "number", "status"), pk=pk)
        text = request.POST.get("reason" if action == "reject" else "note", "")[:2000]
        arguments = {"quote_id": quote.pk, "by": request.user}
        if action == "reject":
            arguments["reason"] = text
        elif action != "submit":
            arguments["note"] = text
        try:
            quote = service(**arguments)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
        except (TransitionNotAllowed, ConcurrentTransition):
            messages.error(
                request, _("This quote changed in the meantime; look at it again and retry.")
            )
        else:
            if quote.pk != pk:  # "revise" made a new revision: continue there
                messages.success(request, _success_message("new_revision", quote))
                return redirect(quote)
            messages.success(request, _success_message(action, quote))
        return redirect(safe_next(request, reverse("quotes:detail", kwargs={"pk": pk})))
