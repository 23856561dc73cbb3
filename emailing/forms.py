from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ContactChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, contact):
        return f"{contact.name} <{contact.email}>"


class QuoteEmailForm(forms.Form):
    """What the salesperson chooses and writes; quotes' rules are emailing.services'."""

    language = forms.ChoiceField(choices=settings.LANGUAGES, widget=forms.HiddenInput)
    contacts = ContactChoice(
        label=_("To"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one contact.")},
    )
    extra_address = forms.EmailField(
        label=_("Also to (optional)"),
        required=False,
        help_text=_("Another address, typed."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "The customer's link to the quote (to read, accept or decline it online) is added "
            "below your message, and the quote's PDF is attached."
        ),
    )

    def __init__(self, *args, quote, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = quote.customer.contacts.exclude(email="")
