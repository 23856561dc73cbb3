"""Managers' admin for quotes: the state is read-only, and approving or rejecting (bulk
actions, or the buttons of the change page) goes through quotes.services like everywhere
else, four eyes included. Quotes are created on the product's pages, which number them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crm.workflow import refusal_message
from products.models import can_see_cost
from quotes import services
from quotes.models import ApprovalRule, Quote, QuoteLine

EDITABLE_IN_DRAFT = ("valid_until", "terms", "notes")


def _decide_each(modeladmin, request, queryset, decide, done_message):
    """Call ``decide(quote_id)`` for each selected quote; one message per refusal."""
    done, refused = 0, []
    for pk, number in queryset.order_by("pk").values_list("pk", "number"):
        try:
            decide(pk)
            done += 1
        except (ValidationError, PermissionDenied) as error:
            refused.append(f"{number}: {refusal_message(error)}")
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)
    for line in refused:
        modeladmin.message_user(request, line, messages.WARNING)


@admin.action(description=gettext_lazy("Approve selected quotes"), permissions=["approve"])
def approve_selected(modeladmin, request, queryset):
    _decide_each(
        modeladmin,
        request,
        queryset,
        lambda pk: services.approve_quote(quote_id=pk, by=request.user),
        lambda n: (
            ngettext("%(count)d quote approved.", "%(count)d quotes approved.", n) % {"count": n}
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("The salesperson reads this on the quote."),
    )


@admin.action(description=gettext_lazy("Reject selected quotes…"), permissions=["approve"])
def reject_selected(modeladmin, request, queryset):
    """Asks for the reason on an intermediate page, then rejects each quote with it."""
    form = RejectForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        _decide_each(
            modeladmin,
            request,
            queryset,
            lambda pk: services.reject_quote(quote_id=pk, by=request.user, reason=reason),
            lambda n: (
                ngettext("%(count)d quote rejected.", "%(count)d quotes rejected.", n)
                % {"count": n}
            ),
        )
        return None
    opts = modeladmin.model._meta
    return render(
        request,
        "admin/quotes/reject_quotes.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Reject quotes"),
            "form": form,
            "records": queryset.select_related("customer").order_by("pk"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": opts,
        },
    )


class QuoteLineInline(admin.TabularInline):
    model = QuoteLine
    fields = (
        "position",
        "product",
        "description",
        "quantity",
        "unit",
        "unit_price",
        "discount_percent",
        "tax_rate",
        "net_amount",
        "tax_amount",
        "line_total",
        "cost_price",
    )
    readonly_fields = fields

    def get_fields(self, request, obj=None):
        if can_see_cost(request.user):
            return self.fields
        return [name for name in self.fields if name != "cost_price"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


#: Shown read-only: the revision, and what the customer answered on their link (never the
#: link's key).
CUSTOMER_FIELDS = (
    "revision",
    "previous_revision",
    "customer_answered_at",
    "customer_name",
    "customer_reason",
    "customer_ip",
    "customer_user_agent",
)


class QuoteAdminForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = list(EDITABLE_IN_DRAFT)


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    form = QuoteAdminForm
    change_form_template = "admin/quotes/quote/change_form.html"
    list_display = (
        "number",
        "customer",
        "opportunity",
        "status",
        "total",
        "valid_until",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "valid_until", "created_at")
    search_fields = ("number", "customer__name")
    list_select_related = ("customer", "opportunity", "created_by")
    show_full_result_count = False
    inlines = [QuoteLineInline]
    actions = [approve_selected, reject_selected]
    readonly_fields = (
        "number",
        "customer",
        "opportunity",
        "status",
        "subtotal",
        "discount_total",
        "net_total",
        "tax_total",
        "total",
        "prices_include_tax",
        "margin",
        "margin_percent",
        "created_by",
        "created_at",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "auto_approved_by_rule",
        "required_by_rule",
        "sent_at",
        "closed_at",
        "updated_at",
        *CUSTOMER_FIELDS,
    )
    fieldsets = (
        (None, {"fields": ("number", "customer", "opportunity", "status")}),
        (gettext_lazy("Offer"), {"fields": (*EDITABLE_IN_DRAFT,)}),
        (
            gettext_lazy("Totals"),
            {
                "fields": (
                    "subtotal",
                    "discount_total",
                    "net_total",
                    "tax_total",
                    "total",
                    "prices_include_tax",
                    "margin",
                    "margin_percent",
                )
            },
        ),
        (
            gettext_lazy("Approval"),
            {
                "fields": (
                    "created_by",
                    "created_at",
                    "submitted_by",
                    "submitted_at",
                    "decided_by",
                    "decided_at",
                    "decision_reason",
                    "auto_approved_by_rule",
                    "required_by_rule",
                    "sent_at",
                    "closed_at",
                    "updated_at",
                )
            },
        ),
        (gettext_lazy("Revision and the customer's answer"), {"fields": CUSTOMER_FIELDS}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("customer", "opportunity", "created_by", "submitted_by", "decided_by")
        )

    def has_add_permission(self, request):
        return False  # quotes are made from an opportunity's page, which numbers them

    def has_approve_permission(self, request):
        """Who is offered the approve and reject actions (the services check again)."""
        return request.user.has_perm("quotes.approve_quote")

    def get_fieldsets(self, request, obj=None):
        if can_see_cost(request.user):
            return self.fieldsets
        # Margins are for holders of products.view_cost_price only.
        return [
            (title, {**options, "fields": [f for f in options["fields"] if "margin" not in f]})
            for title, options in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # Once submitted, the offer is frozen (quotes.services refuses changes anyway).
        if obj is not None and not obj.is_editable:
            return (*self.readonly_fields, *EDITABLE_IN_DRAFT)
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        """Changes go through the service; a refusal is a message, and nothing is saved."""
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changed:
            return
        try:
            services.update_quote(quote_id=obj.pk, by=request.user, **changed)
        except (ValidationError, PermissionDenied) as error:
            request._quote_refused = True
            self.message_user(request, refusal_message(error), messages.ERROR)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            actions = services.available_actions(obj, request.user)
            context["can_decide"] = "approve" in actions
            context["four_eyes_blocked"] = (
                obj.status == Quote.Status.PENDING_APPROVAL
                and not context["can_decide"]
                and request.user.has_perm("quotes.approve_quote")
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        """The change page's "Approve" and "Reject" buttons call the same services."""
        if "_approve" in request.POST or "_reject" in request.POST:
            reason = request.POST.get("_decision_reason", "")[:2000]
            try:
                if "_approve" in request.POST:
                    quote = services.approve_quote(quote_id=obj.pk, by=request.user, note=reason)
                    text = _("Quote %(number)s approved.")
                else:
                    quote = services.reject_quote(quote_id=obj.pk, by=request.user, reason=reason)
                    text = _("Quote %(number)s rejected.")
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, refusal_message(error), messages.ERROR)
            else:
                self.message_user(request, text % {"number": quote.number}, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        if getattr(request, "_quote_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


class ApprovalRuleForm(forms.ModelForm):
    class Meta:
        model = ApprovalRule
        fields = [
            "name",
            "action",
            "max_total",
            "max_discount_percent",
            "min_margin_percent",
            "max_margin_percent",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rules made before "needs a manager" existed were all approving ones.
        self.fields["action"].required = False

    def clean_action(self):
        return self.cleaned_data.get("action") or ApprovalRule.Action.APPROVE


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(admin.ModelAdmin):
    """The approval policy: rules that approve a quote at once, rules that make it wait for a
    manager whatever (checked first); with no rule that applies, a quote waits for a manager."""

    form = ApprovalRuleForm
    list_display = (
        "name",
        "action",
        "max_total",
        "max_discount_percent",
        "min_margin_percent",
        "max_margin_percent",
        "is_active",
    )
    list_filter = ("action", "is_active")
    search_fields = ("name",)
