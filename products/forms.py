from crispy_forms.helper import FormHelper
from django import forms

from products.models import Product


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "sku",
            "name",
            "category",
            "unit",
            "list_price",
            "cost_price",
            "tax_rate",
            "is_active",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
