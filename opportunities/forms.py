from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from customers.menus import limit_customer_menu, selected_pk
from customers.models import Customer
from opportunities.models import Opportunity
from opportunities.stages import OPEN_STAGES, Stage


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class OpportunityForm(forms.ModelForm):
    """A deal's details. The stage is chosen once, at creation; later it moves only through
    the stage buttons, so it is not a field of the edit form (a posted ``stage`` is ignored).
    ``probability`` left empty means "the stage's default".
    """

    probability = forms.IntegerField(
        label=_("Probability (%)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Leave empty to use the stage's default."),
    )

    class Meta:
        model = Opportunity
        fields = [
            "name",
            "amount",
            "expected_close_date",
            "probability",
            "next_step",
            "description",
        ]
        widgets = {
            "expected_close_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        if self.instance.pk and not self.instance.probability_is_custom:
            self.initial["probability"] = None
        if self.instance.pk and not self.instance.is_open:
            self.fields["probability"].disabled = True

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.fields["probability"].disabled:
            values.pop("probability")
        return values


class OpportunityCreateForm(OpportunityForm):
    """Creation adds the customer (only the user's current customers) and the first stage."""

    customer = forms.ModelChoiceField(queryset=Customer.objects.none(), label=_("Customer"))
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[(s.value, s.label) for s in map(Stage, OPEN_STAGES)]
    )

    # customer and stage are plain form fields, not model ones: the service sets both (a
    # protected stage cannot be assigned by a ModelForm).
    field_order = ["customer", "name", "stage"]

    def __init__(self, *args, user, customer_search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).active()
        limit_customer_menu(
            self.fields["customer"],
            selected_pk=selected_pk(self, "customer"),
            search=customer_search.strip(),
        )

    def service_values(self) -> dict:
        return {
            **super().service_values(),
            "customer_id": self.cleaned_data["customer"].pk,
            "stage": self.cleaned_data["stage"],
        }


class StageChangeForm(forms.Form):
    """The stage buttons and the board post this; ``note`` is the reason when losing."""

    to = forms.ChoiceField(choices=Stage.choices)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
