from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.events import EventType
from webhooks.models import Endpoint


class EndpointForm(forms.ModelForm):
    """The admin's form: the events as a list of checkboxes from the catalogue."""

    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The events sent to this URL."),
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "secret", "is_active"]
