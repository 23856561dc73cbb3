"""The API tokens page of the user's profile: make, see and revoke one's own tokens.

A new token's key is shown once, on the page that answers its creation, and is kept
nowhere (only its hash is stored): the page says so.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api.forms import TokenForm
from api.models import ApiToken
from api.tokens import issue_token, revoke_token


def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = issue_token(
            user=request.user,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
        )
        messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
        form = TokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    response = render(request, "api/tokens.html", context)
    if new_key:
        response["Cache-Control"] = "no-store"  # the key must not stay in any cache
    return response


@require_POST
def revoke(request, pk):
    try:
        token = revoke_token(token_id=pk, by=request.user)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api:tokens")
