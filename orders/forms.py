from django import forms
from django.utils.translation import gettext_lazy as _

from orders.models import Order
from orders.services import CREATABLE_STATUSES


class OrderCreateForm(forms.Form):
    """Posted from a quote's page. The button pressed names the status the order starts in;
    whether the user may ask for it (``confirmed``) is the service's decision."""

    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in CREATABLE_STATUSES], initial=Order.Status.DRAFT
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OrderNotesForm(forms.ModelForm):
    """Only the notes: lines, total and customer come from the quote, the status from the
    workflow buttons."""

    class Meta:
        model = Order
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}


class TransitionForm(forms.Form):
    """The action buttons post this; ``note`` is the reason when rejecting."""

    note = forms.CharField(required=False, max_length=2000)
