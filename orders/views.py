"""List, export, the page of one order with its workflow buttons, its notes, its printable
confirmation and PDF, and creating an order from a quote. Every change goes through
orders.services; a refusal becomes a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from crm.access import VisibleObjectMixin
from crm.csv_export import Column, CsvExportView
from crm.documents import DocumentMixin
from crm.editing import RecordEditView, safe_next
from crm.history import transition_history
from crm.listing import FilteredListView
from crm.workflow import refusal_message
from customers.models import Customer
from orders import services
from orders.filters import OrderFilter
from orders.forms import OrderCreateForm, OrderNotesForm, TransitionForm
from orders.models import Order
from quotes.lines import document_totals
from quotes.models import Quote

# The list shows these columns and nothing else of the order, its customer or its quote.
LIST_FIELDS = (
    "id",
    "number",
    "status",
    "total",
    "created_at",
    "customer",
    "customer__name",
    "quote",
    "quote__number",
    # Quote records its loaded status (ConcurrentTransitionMixin): deferring it would cost a
    # query per row.
    "quote__status",
    "created_by",
    "created_by__username",
    "created_by__first_name",
    "created_by__last_name",
)


class OrderListView(FilteredListView):
    model = Order
    filterset_class = OrderFilter
    list_select_related = ("customer", "quote", "created_by")
    template_name = "orders/order_list.html"

    def visible_queryset(self):
        return super().visible_queryset().only(*LIST_FIELDS)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A link from a customer's page filters by its id; name the customer.
        cleaned = getattr(self.filterset.form, "cleaned_data", {})
        if customer_id := cleaned.get("customer"):
            context["filter_customer"] = (
                Customer.objects.visible_to(self.request.user)
                .filter(pk=customer_id)
                .only("id", "name")
                .first()
            )
        return context


class OrderExportView(CsvExportView):
    model = Order
    filterset_class = OrderFilter
    list_name = "orders"
    columns = [
        Column("number", gettext_lazy("Number")),
        Column("customer__name", gettext_lazy("Customer")),
        Column("quote__number", gettext_lazy("Quote")),
        Column("status", gettext_lazy("Status"), Order.Status.choices),
        Column("total", gettext_lazy("Total")),
        Column("created_by__username", gettext_lazy("Created by")),
        Column("created_at", gettext_lazy("Created")),
        Column("confirmed_at", gettext_lazy("Confirmed")),
        Column("fulfilled_at", gettext_lazy("Fulfilled")),
        Column("completed_at", gettext_lazy("Completed")),
        Column("cancelled_at", gettext_lazy("Cancelled")),
    ]


class OrderCreateView(View):
    """POST only, from the quote's page: make the order of a quote the user may see (any
    other quote is a 404). The button pressed says whether the order starts as a draft, is
    submitted at once, or (for someone who may approve orders) is confirmed."""

    http_method_names = ["post"]

    def post(self, request, quote_pk):
        quote = get_object_or_404(
            Quote.objects.visible_to(request.user).only("id", "number", "status"), pk=quote_pk
        )
        form = OrderCreateForm(request.POST)
        if not form.is_valid():
            if "status" in form.errors:
                messages.error(
                    request, _("Choose how the order starts: draft, submitted or confirmed.")
                )
            else:
                messages.error(request, " ".join(form.errors["notes"]))
            return redirect(safe_next(request, quote.get_absolute_url()))
        try:
            order = services.create_order(
                by=request.user,
                quote_id=quote.pk,
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
            return redirect(safe_next(request, quote.get_absolute_url()))
        messages.success(
            request,
            _("Order %(number)s created from quote %(quote)s; its status is “%(status)s”.")
            % {"number": order.number, "quote": quote.number, "status": order.get_status_display()},
        )
        return redirect(order)


class OrderUpdateView(RecordEditView):
    """The order's notes, while it is a draft or waiting for approval."""

    model = Order
    form_class = OrderNotesForm
    template_name = "orders/order_form.html"
    record_select_related = ("customer",)

    def get(self, request, *args, **kwargs):
        if self.object.status not in services.EDITABLE_STATUSES:
            return self.locked()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.object.status not in services.EDITABLE_STATUSES:
            return self.locked()
        return super().post(request, *args, **kwargs)

    def locked(self):
        messages.info(self.request, services.WORKFLOW.sentence(self.object, "change"))
        return redirect(self.object)

    def save(self, form):
        order = services.update_order(
            order_id=self.object.pk, by=self.request.user, notes=form.cleaned_data["notes"]
        )
        messages.success(self.request, _("Order %(number)s saved.") % {"number": order.number})
        return order


class OrderDetailView(VisibleObjectMixin, DetailView):
    model = Order
    template_name = "orders/order_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "customer",
                "quote",
                "quote__opportunity",
                "created_by",
                "submitted_by",
                "decided_by",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order, user = self.object, self.request.user
        actions = services.available_actions(order, user)
        context["actions"] = actions
        context["lines"] = lines = list(order.lines.all())
        totals = document_totals(
            lines, prices_include_tax=order.quote.prices_include_tax, total=order.total
        )
        context["taxes"], context["net_total"] = totals["taxes"], totals["net_total"]
        context["can_edit"] = order.status in services.EDITABLE_STATUSES
        # Four eyes: an approver looking at an order they made sees why there is no button.
        context["needs_another_manager"] = (
            order.status == Order.Status.PENDING_APPROVAL
            and user.has_perm("orders.approve_order")
            and not services.may_decide(order, user)
        )
        context["progress"] = fulfilment_steps(order)
        context["history"] = transition_history(order, Order.Status.choices)
        return context


class OrderPrintView(VisibleObjectMixin, DocumentMixin, DetailView):
    """The order confirmation as the customer sees it (no internal notes); the same template
    makes its PDF (`OrderPdfView`)."""

    model = Order
    template_name = "orders/order_print.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("customer", "quote", "created_by")
            .defer("notes", "quote__notes")
        )

    def watermark(self):
        order = self.object
        if order.status == Order.Status.CANCELLED:
            return order.get_status_display()
        if order.status in (
            Order.Status.DRAFT,
            Order.Status.PENDING_APPROVAL,
            Order.Status.REJECTED,
        ):
            return _("Draft")
        return ""

    def get_context_data(self, **kwargs):
        order = self.object
        lines = list(order.lines.all())
        prices_include_tax = order.quote.prices_include_tax
        return super().get_context_data(
            lines=lines,
            **document_totals(lines, prices_include_tax=prices_include_tax, total=order.total),
            prices_include_tax=prices_include_tax,
            contact=self.object.customer.contacts.first(),
            document_number=self.object.number,
            **kwargs,
        )


class OrderPdfView(OrderPrintView):
    """The order confirmation as a PDF file (WeasyPrint), shown in the browser."""

    as_pdf = True


def fulfilment_steps(order: Order) -> list[dict]:
    """Confirmed → fulfilled → completed, each with when it happened (or not yet)."""
    steps = [
        (Order.Status.CONFIRMED, order.confirmed_at),
        (Order.Status.FULFILLED, order.fulfilled_at),
        (Order.Status.COMPLETED, order.completed_at),
    ]
    current = next((i for i, (status, _at) in enumerate(steps) if status == order.status), None)
    return [
        {
            "label": status.label,
            "at": at,
            "done": at is not None,
            "current": i == current,
        }
        for i, (status, at) in enumerate(steps)
    ]


class OrderTransitionView(VisibleObjectMixin, View):
    """POST only: one workflow step on an order (the buttons on its page)."""

    model = Order
    http_method_names = ["post"]
    done_messages = {
        "submit": gettext_lazy("Order %(number)s submitted for approval."),
        "approve": gettext_lazy("Order %(number)s approved: it is confirmed."),
        "reject": gettext_lazy("Order %(number)s rejected."),
        "fulfil": gettext_lazy("Order %(number)s marked fulfilled."),
        "complete": gettext_lazy("Order %(number)s completed."),
        "cancel": gettext_lazy("Order %(number)s cancelled."),
    }

    def post(self, request, pk, action):
        if action not in self.done_messages:
            raise Http404
        order = get_object_or_404(self.get_queryset().only("id", "status"), pk=pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return redirect(safe_next(request, order.get_absolute_url()))
        try:
            order = run_action(
                action, order_id=order.pk, by=request.user, note=form.cleaned_data["note"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
        else:
            messages.success(request, self.done_messages[action] % {"number": order.number})
        return redirect(safe_next(request, order.get_absolute_url()))


def run_action(action: str, *, order_id, by, note: str = "") -> Order:
    """Call the service of one of ``services.ACTIONS``."""
    if action == "submit":
        return services.submit_order(order_id=order_id, by=by)
    if action == "reject":
        return services.reject_order(order_id=order_id, by=by, reason=note)
    service = {
        "approve": services.approve_order,
        "fulfil": services.fulfil_order,
        "complete": services.complete_order,
        "cancel": services.cancel_order,
    }[action]
    return service(order_id=order_id, by=by, note=note)
