"""The quote form and its lines. Number, owner, status and totals are never form fields: the
services set them (a posted ``status`` or ``total`` is simply not read)."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from products.models import Product
from quotes.models import Quote, QuoteLine
from quotes.pricing import LINE_FIELDS

#: A quote holds at most this many lines (a longer offer is split into several quotes).
MAX_LINES = 200


def _helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class QuoteForm(forms.ModelForm):
    """What a salesperson writes on a quote besides its lines."""

    class Meta:
        model = Quote
        fields = ["valid_until", "terms", "notes"]
        widgets = {
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "terms": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class QuoteLineForm(forms.ModelForm):
    """One line: a product picked by search (or none: free text), description, quantity,
    unit, unit price, discount and tax rate. Empty discount = none; empty tax rate = the
    product's, else none; empty unit price = the product's list price. The cost price is
    never a form field: the service copies it from the product."""

    product = forms.ModelChoiceField(
        queryset=Product.objects.all(), required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = QuoteLine
        # What a person enters of a line is what the services take of one.
        fields = list(LINE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("discount_percent", "tax_rate"):
            # Empty means none (or the product's); an untouched empty row is no line at all.
            field = self.fields[name]
            field.required, field.initial = False, None
            field.widget.attrs["placeholder"] = "0"
        self.fields["unit_price"].required = False
        steps = {
            "quantity": "0.01",
            "unit_price": "0.01",
            "discount_percent": "0.01",
            "tax_rate": "0.01",
        }
        for name, field in self.fields.items():
            if name == "product":
                field.widget.attrs["class"] = "js-line-product"
                continue
            # The lines are a table: the column header is the visible label.
            field.widget.attrs.update(
                {
                    "class": f"form-control form-control-sm js-line-{name.replace('_', '-')}",
                    "aria-label": str(field.label),
                }
            )
            if name in steps:
                field.widget.attrs.update({"step": steps[name], "inputmode": "decimal"})
        description = self.fields["description"].widget.attrs
        description.update(
            {
                "autocomplete": "off",
                "placeholder": _("Type a SKU or product name, or free text"),
                "data-search-url": reverse("products:search"),
            }
        )
        self.fields["unit"].widget.attrs["size"] = 5
        if self.initial.get("product"):
            # The script unlinks the product once the description stops being its name.
            description["data-picked"] = self.initial.get("description", "")

    def clean_discount_percent(self):
        value = self.cleaned_data.get("discount_percent")
        return Decimal("0") if value is None else value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unit_price") is None and not cleaned.get("product"):
            self.add_error("unit_price", _("Give a unit price or pick a product."))
        return cleaned


class BaseQuoteLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The filled-in lines that are not marked for removal, in the order shown."""
        return [
            {name: form.cleaned_data[name] for name in QuoteLineForm.Meta.fields}
            for form in self.forms
            # Rows left empty have no cleaned data; removed rows are skipped.
            if form.cleaned_data and not self._should_delete_form(form)
        ]


QuoteLineFormSet = forms.formset_factory(
    QuoteLineForm,
    formset=BaseQuoteLineFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_LINES,
    validate_max=True,
)


def line_formset(data=None, *, lines=None, extra=1):
    """The line formset of a quote form: ``lines`` (QuoteLine objects) fill it in, ``extra``
    empty rows follow. A draft may be saved with any number of lines; submitting needs one."""
    initial = [
        {
            **{
                name: getattr(line, name) for name in QuoteLineForm.Meta.fields if name != "product"
            },
            "product": line.product_id,
        }
        for line in lines or ()
    ]
    formset = QuoteLineFormSet(data, initial=initial, prefix="lines")
    formset.extra = extra
    return formset
