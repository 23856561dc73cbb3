from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
