from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from crm.roles import is_manager
from customers.merge import MERGE_FIELDS, OTHER, SURVIVOR, default_side
from customers.models import Contact, Customer
from customers.services import find_duplicates


class CustomerForm(forms.ModelForm):
    """Customer details. Owner and archive state are not here: services set them.

    Saving a customer whose e-mail or phone is already known stops with a warning until the
    user ticks ``confirm_duplicate``; the warning names only customers the user may see.
    """

    confirm_duplicate = forms.BooleanField(
        label=_("I checked: this is a different customer, save it anyway"), required=False
    )

    class Meta:
        model = Customer
        fields = [
            "name",
            "kind",
            "status",
            "industry",
            "source",
            "rating",
            "tags",
            "phone",
            "email",
            "website",
            "address",
            "needs",
            "notes",
        ]
        widgets = {
            "tags": forms.CheckboxSelectMultiple,
            "address": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.duplicates = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        email, phone = cleaned.get("email", ""), cleaned.get("phone", "")
        if email or phone:
            self.duplicates = find_duplicates(
                email=email, phone=phone, by=self.user, exclude_pk=self.instance.pk
            )
        if self.duplicates and not cleaned.get("confirm_duplicate"):
            total = len(self.duplicates.visible) + self.duplicates.hidden_count
            raise forms.ValidationError(
                ngettext(
                    "A customer with the same e-mail or phone already exists. "
                    "Check it, then confirm to save anyway.",
                    "%(count)d customers with the same e-mail or phone already exist. "
                    "Check them, then confirm to save anyway.",
                    total,
                )
                % {"count": total},
                code="duplicate",
            )
        return cleaned

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["tags"] = list(values["tags"])
        return values


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "email", "phone", "is_primary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


@dataclass
class MergeRow:
    """One line of the merge page: a field, both customers' values, and the choice between
    them when they differ (``choice`` is then the bound radio field)."""

    label: str
    survivor: str
    other: str
    choice: object = None


class MergeForm(forms.Form):
    """Which value to keep, for each field where the two customers differ."""

    def __init__(self, *args, survivor, other, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = []
        for name in MERGE_FIELDS:
            if name == "owner" and not is_manager(user):
                continue  # a salesperson's two customers are both theirs
            model_field = Customer._meta.get_field(name)
            label = capfirst(model_field.verbose_name)
            mine, theirs = _shown(survivor, name), _shown(other, name)
            self.lines.append((name, label, mine, theirs))
            if getattr(survivor, model_field.attname) != getattr(other, model_field.attname):
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=[(SURVIVOR, mine), (OTHER, theirs)],
                    initial=default_side(survivor, other, name),
                    required=False,  # not chosen: the default side
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )

    def rows(self) -> list[MergeRow]:
        return [
            MergeRow(label, mine, theirs, self[name] if name in self.fields else None)
            for name, label, mine, theirs in self.lines
        ]

    def keep(self) -> dict[str, str]:
        return {name: side for name, side in self.cleaned_data.items() if side}


def _shown(customer, name: str) -> str:
    """A field's value as the customer's page shows it; "—" when empty."""
    if name == "owner":
        return customer.owner.get_full_name() or customer.owner.username
    display = getattr(customer, f"get_{name}_display", None)
    return str((display() if display else getattr(customer, name)) or "—")
