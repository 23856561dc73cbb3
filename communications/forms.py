from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communications.models import Communication
from customers.menus import EMPTY_LABEL, limit_customer_menu, selected_pk
from customers.models import Customer
from opportunities.models import Opportunity

#: The opportunity menu lists at most this many of the customer's opportunities, newest first.
OPPORTUNITY_CHOICES_LIMIT = 100


class CommunicationForm(forms.ModelForm):
    """A communication's details. The author is the signed-in user and is never a field.

    The customer comes from the user's visible current customers, the opportunity from the
    visible opportunities, and an opportunity of another customer is a field error. On an
    existing communication the customer is fixed (``disabled``): posted values are ignored.
    """

    class Meta:
        model = Communication
        fields = [
            "customer",
            "opportunity",
            "channel",
            "direction",
            "subject",
            "content",
            "occurred_at",
            "follow_up_on",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 6}),
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "subject": _("Left empty, the first line of the content is used."),
        }

    def __init__(self, *args, user, customer_search: str = "", refresh_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        customer_field = self.fields["customer"]
        customer_field.queryset = Customer.objects.visible_to(user).active()
        self.fields["opportunity"].queryset = Opportunity.objects.visible_to(user)
        self.fields["subject"].required = False
        # Empty on a new one means "now"; an existing one keeps a time.
        self.fields["occurred_at"].required = bool(self.instance.pk)
        if self.instance.pk:
            # Moving a communication to another customer is not offered; the customer's
            # archived state does not matter for one it already has.
            customer_field.disabled = True
            customer_field.queryset = Customer.objects.visible_to(user)
        elif not self.is_bound and not self.initial.get("occurred_at"):
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)
        self._limit_choices(customer_search.strip())
        if refresh_url and not customer_field.disabled:
            # With htmx, choosing a customer refreshes the opportunity menu (see the view).
            customer_field.widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": "#opportunity-field",
                    "hx-swap": "outerHTML",
                }
            )

    def _limit_choices(self, search: str) -> None:
        """Render short menus: a select with a row per customer would not scale."""
        selected = limit_customer_menu(
            self.fields["customer"], selected_pk=selected_pk(self, "customer"), search=search
        )
        opportunity_field = self.fields["opportunity"]
        opportunities = []
        if selected:
            opportunities = list(
                opportunity_field.queryset.filter(customer=selected)
                .order_by("-created_at", "-pk")
                .only("id", "customer_id", "name", "stage")[:OPPORTUNITY_CHOICES_LIMIT]
            )
            opportunity_pk = selected_pk(self, "opportunity")
            if opportunity_pk and opportunity_pk not in {o.pk for o in opportunities}:
                chosen = opportunity_field.queryset.filter(
                    pk=opportunity_pk, customer=selected
                ).first()
                if chosen:
                    opportunities.insert(0, chosen)
        else:
            opportunity_field.help_text = _("Choose the customer first.")
        opportunity_field.widget.choices = [
            ("", EMPTY_LABEL),
            *(
                (opportunity.pk, f"{opportunity.name} · {opportunity.get_stage_display()}")
                for opportunity in opportunities
            ),
        ]

    def clean(self):
        cleaned = super().clean()
        customer, opportunity = cleaned.get("customer"), cleaned.get("opportunity")
        if customer and opportunity and opportunity.customer_id != customer.pk:
            self.add_error("opportunity", _("This opportunity belongs to another customer."))
        if (
            not (cleaned.get("subject") or "").strip()
            and not (cleaned.get("content") or "").strip()
        ):
            self.add_error("subject", _("Give a subject or write the content."))
        return cleaned

    def service_values(self) -> dict:
        values = {
            name: self.cleaned_data[name]
            for name in ("channel", "direction", "subject", "content", "occurred_at")
        }
        values["follow_up_on"] = self.cleaned_data["follow_up_on"]
        opportunity = self.cleaned_data.get("opportunity")
        values["opportunity_id"] = opportunity.pk if opportunity else None
        if not self.fields["customer"].disabled:
            values["customer_id"] = self.cleaned_data["customer"].pk
        return values
