from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crm.workflow import refusal_message
from orders import services
from orders.models import Order, OrderLine


class ApprovalFilter(admin.SimpleListFilter):
    title = gettext_lazy("approval")
    parameter_name = "approval"

    def lookups(self, request, model_admin):
        return [("pending", _("Waiting for approval")), ("decided", _("Decided"))]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.awaiting_approval()
        if self.value() == "decided":
            return queryset.filter(decided_at__isnull=False)
        return queryset


class OrderLineInline(admin.TabularInline):
    """The lines copied from the quote: shown, never changed."""

    model = OrderLine
    extra = 0
    can_delete = False
    # No cost price: the order's margin is the quote's (managers read it there).
    fields = (
        "position",
        "product",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "tax_amount",
        "line_total",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderAdminForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["notes"]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("The salesperson reads this on the order's page."),
    )


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    """Managers' view of orders. The status is read-only: it moves only through the
    approve / reject actions, which call the same services as the product's pages."""

    form = OrderAdminForm
    list_display = (
        "number",
        "customer",
        "status",
        "total",
        "created_by",
        "submitted_at",
        "decided_by",
        "created_at",
    )
    list_filter = (ApprovalFilter, "status", "created_at")
    search_fields = ("number", "customer__name", "quote__number")
    list_select_related = ("customer", "created_by", "decided_by")
    readonly_fields = (
        "number",
        "customer",
        "quote",
        "status",
        "total",
        "created_by",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "confirmed_at",
        "fulfilled_at",
        "completed_at",
        "cancelled_at",
        "created_at",
        "updated_at",
    )
    inlines = [OrderLineInline]
    show_full_result_count = False
    actions = ["approve_orders", "reject_orders"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        # The notes follow the product's rule: they change while draft or pending only.
        if obj is not None and obj.status not in services.EDITABLE_STATUSES:
            return (*self.readonly_fields, "notes")
        return self.readonly_fields

    def has_add_permission(self, request):
        return False  # orders are made from a quote's page, through the service

    def has_delete_permission(self, request, obj=None):
        return False  # an order stays on record; cancel it instead

    def has_approve_permission(self, request):
        return request.user.has_perm("orders.approve_order")

    def save_model(self, request, obj, form, change):
        # Write only the notes: everything else belongs to the services.
        obj.save(update_fields=["notes", "updated_at"])

    def _report(self, request, done: int, refused: list[str], done_text: str) -> None:
        if done:
            self.message_user(request, done_text % {"count": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=gettext_lazy("Approve the selected orders"), permissions=["approve"])
    def approve_orders(self, request, queryset):
        done, refused = 0, []
        for pk, number in queryset.values_list("pk", "number"):
            try:
                services.approve_order(order_id=pk, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{number}: {refusal_message(error)}")
        self._report(
            request,
            done,
            refused,
            ngettext("%(count)d order approved.", "%(count)d orders approved.", done),
        )

    @admin.action(
        description=gettext_lazy("Reject the selected orders (asks for a reason)"),
        permissions=["approve"],
    )
    def reject_orders(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return render(
                request,
                "admin/orders/reject_orders.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reject orders"),
                    "form": form,
                    "orders": queryset.select_related("customer"),
                    "action_checkbox_name": ACTION_CHECKBOX_NAME,
                    "opts": self.model._meta,
                },
            )
        done, refused = 0, []
        for pk, number in queryset.values_list("pk", "number"):
            try:
                services.reject_order(
                    order_id=pk, by=request.user, reason=form.cleaned_data["reason"]
                )
                done += 1
            except (ValidationError, PermissionDenied) as error:
                refused.append(f"{number}: {refusal_message(error)}")
        self._report(
            request,
            done,
            refused,
            ngettext("%(count)d order rejected.", "%(count)d orders rejected.", done),
        )
        return None
