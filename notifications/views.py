"""The notifications page of the user's profile: e-mails on or off, and their language."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from notifications import services
from notifications.forms import PreferenceForm


def preferences(request):
    preference = services.preference_of(request.user)
    initial = {
        "email_enabled": preference.email_enabled,
        # Never chose: offer the language they are using now.
        "language": preference.language or get_language(),
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_preference(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "email": request.user.email},
    )
