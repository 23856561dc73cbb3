from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(
        label=_("Notify me by e-mail"),
        required=False,
        help_text=_(
            "Quotes and orders waiting for your approval, your quotes and orders approved or "
            "rejected, and your customers' answers to their quote links. The menu's badges "
            "and your dashboard show them either way."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
    )
