"""The managers' Approvals page: quotes and orders waiting for a decision, decided in place.

It lives in the orders app because orders may import quotes (STYLE.md, "Dependencies run one
way"). The decisions themselves are the services' (quotes.services, orders.services): the
page only shows what is waiting and translates a button into a call.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, Value
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from crm.counting import count_subquery
from crm.editing import safe_next
from crm.roles import is_manager
from crm.workflow import refusal_message
from orders import services as order_services
from orders.models import Order
from quotes import services as quote_services
from quotes.models import Quote

#: Each list shows at most this many items, the longest waiting first.
ITEMS_SHOWN = 100

#: The two kinds of record the page decides, with the permission each needs.
PERMISSIONS = {"quote": "quotes.approve_quote", "order": "orders.approve_order"}


@dataclass(frozen=True)
class ApprovalItem:
    kind: str  # "quote" or "order"
    record: Quote | Order
    #: Four eyes: False for what the user created or submitted.
    may_decide: bool

    @property
    def is_pending(self) -> bool:
        return self.record.status == "pending_approval"


def approver_kinds(user) -> list[str]:
    """The kinds of record ``user`` may approve (Django caches the permissions per request)."""
    return [kind for kind, permission in PERMISSIONS.items() if user.has_perm(permission)]


def approval_rows(kind: str, user):
    """Quotes or orders ``user`` may see, with what a row of the page shows."""
    if kind == "quote":
        return (
            Quote.objects.visible_to(user)
            .select_related("customer", "opportunity", "created_by", "submitted_by", "decided_by")
            .defer("terms", "notes", "customer__needs", "customer__notes", "customer__address")
        )
    return (
        Order.objects.visible_to(user)
        .select_related("customer", "quote", "created_by", "submitted_by", "decided_by")
        .defer(
            "notes",
            "quote__terms",
            "quote__notes",
            "customer__needs",
            "customer__notes",
            "customer__address",
        )
    )


def waiting(kind: str, user):
    """What waits for a decision, the longest waiting first."""
    return approval_rows(kind, user).awaiting_approval().order_by("submitted_at", "id")


def _items(kind, user) -> tuple[list[ApprovalItem], bool]:
    rows = list(waiting(kind, user)[: ITEMS_SHOWN + 1])
    items = [ApprovalItem(kind, r, order_services.may_decide(r, user)) for r in rows]
    return items[:ITEMS_SHOWN], len(rows) > ITEMS_SHOWN


def _require_approver(user) -> list[str]:
    kinds = approver_kinds(user)
    if not kinds:
        raise PermissionDenied(_("The Approvals page is for sales managers who approve."))
    return kinds


class ApprovalsView(TemplateView):
    """What waits for a decision: one bounded query per kind, whatever the backlog."""

    template_name = "orders/approvals.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kinds = _require_approver(user)
        context = super().get_context_data(**kwargs)
        context["kinds"] = kinds
        if "quote" in kinds:
            context["quotes"], context["quotes_truncated"] = _items("quote", user)
        if "order" in kinds:
            context["orders"], context["orders_truncated"] = _items("order", user)
        return context


class DecisionView(View):
    """POST only: approve or reject (with a reason) one quote or order.

    From htmx it answers with the row that replaces the item (its outcome, or the item again
    with the refusal) and the navigation count, updated out of band; without JavaScript it
    redirects back with a message.
    """

    http_method_names = ["post"]
    models = {"quote": Quote, "order": Order}

    def post(self, request, kind, pk, decision):
        if kind not in self.models or decision not in ("approve", "reject"):
            raise Http404
        _require_approver(request.user)
        record = get_object_or_404(
            self.models[kind].objects.visible_to(request.user).only("id", "number", "status"),
            pk=pk,
        )
        error = None
        try:
            decide(
                kind, decision, record.pk, by=request.user, reason=request.POST.get("reason", "")
            )
        except (ValidationError, PermissionDenied) as refusal:
            error = refusal_message(refusal)
        if request.htmx:
            record = get_object_or_404(approval_rows(kind, request.user), pk=pk)
            item = ApprovalItem(kind, record, order_services.may_decide(record, request.user))
            return TemplateResponse(
                request,
                "orders/approvals.html#htmx_answer",
                {"item": item, "error": error, "approvals_nav": WaitingApprovals(request.user)},
            )
        if error:
            messages.error(request, f"{record.number}: {error}")
        elif decision == "approve":
            messages.success(request, _("%(number)s approved.") % {"number": record.number})
        else:
            messages.success(request, _("%(number)s rejected.") % {"number": record.number})
        return redirect(safe_next(request, reverse("approvals")))


def decide(kind: str, decision: str, pk: int, *, by, reason: str = ""):
    """Call the service that approves or rejects one quote or order."""
    services = {
        ("quote", "approve"): lambda: quote_services.approve_quote(quote_id=pk, by=by),
        ("quote", "reject"): lambda: quote_services.reject_quote(quote_id=pk, by=by, reason=reason),
        ("order", "approve"): lambda: order_services.approve_order(order_id=pk, by=by),
        ("order", "reject"): lambda: order_services.reject_order(order_id=pk, by=by, reason=reason),
    }
    return services[kind, decision]()


def _permission_exists(dotted: str):
    app_label, codename = dotted.split(".")
    return Exists(
        Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
            Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk"))
        )
    )


def _waiting_count(queryset):
    """How many rows of ``queryset`` wait for the outer user (not theirs: four eyes), read
    from the partial index *_pending_people alone."""
    return count_subquery(
        queryset.awaiting_approval()
        .exclude(created_by=OuterRef("pk"))
        .exclude(submitted_by=OuterRef("pk"))
    )


class WaitingApprovals:
    """The navigation's Approvals link: shown to approvers, with how many items wait for
    them (not counting their own, which need another manager).

    Lazy, and one query: the permissions and both counts come from a single SELECT. Only
    managers are asked (the role is already known from the page), since the approve
    permissions belong to the Sales managers role.
    """

    def __init__(self, user):
        self.user = user

    @cached_property
    def _figures(self) -> tuple[bool, int]:
        user = self.user
        if user is None or not user.is_authenticated or not is_manager(user):
            return False, 0
        if user.is_superuser:
            may = {"quote": Value(True), "order": Value(True)}
        else:
            may = {kind: _permission_exists(perm) for kind, perm in PERMISSIONS.items()}
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(
                may_quote=may["quote"],
                may_order=may["order"],
                quotes=_waiting_count(Quote.objects.all()),
                orders=_waiting_count(Order.objects.all()),
            )
            .values_list("may_quote", "may_order", "quotes", "orders")
            .first()
        )
        if row is None:
            return False, 0
        may_quote, may_order, quotes, orders = row
        return bool(may_quote or may_order), (quotes if may_quote else 0) + (
            orders if may_order else 0
        )

    @property
    def show(self) -> bool:
        return self._figures[0]

    @property
    def count(self) -> int:
        return self._figures[1]
