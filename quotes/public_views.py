"""The customer's page of one quote revision, at ``/q/<token>/`` (quotes.public_links), with
no login: the quote as printed, and (while it is sent and valid) accept by typing a name or
decline with a reason.

It leaks nothing but that quote: no link into the CRM, no internal notes, ``noindex``, no
referrer to other sites, not cached. A token that does not verify is the site's ordinary
404, and every request, GET or POST, takes one from the visitor's IP address's bucket (crm.ratelimit), so
tokens can be neither guessed nor enumerated. The decisions are quotes.customer_answers'.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from crm import ratelimit
from crm.workflow import refusal_message
from quotes import customer_answers, public_links
from quotes.document_views import sheet_context
from quotes.models import Quote

TEMPLATE = "quotes/public_quote.html"


class AcceptForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Typing your name accepts this quote on behalf of your organisation."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def client_ip(request) -> str | None:
    # The direct peer. Behind a reverse proxy this is the proxy: configure it to pass the
    # client's address as REMOTE_ADDR (e.g. gunicorn's --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


def _private(response):
    # The token never leaves the site in a Referer header. Not "no-referrer": with it the
    # browser posts the answer forms with "Origin: null", which CSRF protection refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store, private"
    return response


@method_decorator(login_not_required, name="dispatch")
class PublicQuoteView(View):
    """GET: the page. POST to ``accept`` or ``decline`` (``action``): the customer's answer;
    refused answers show the page again with the reason."""

    http_method_names = ["get", "post"]

    def dispatch(self, request, token, action=None):
        wait = ratelimit.take(
            f"quote-link:{client_ip(request)}",
            rate=settings.CRM_QUOTE_LINK_PER_MINUTE / 60,
            burst=settings.CRM_QUOTE_LINK_BURST,
        )
        if wait:
            response = TemplateResponse(request, TEMPLATE, {"rate_limited": True}, status=429)
            response["Retry-After"] = str(wait)
            return _private(response)
        if (action is None) != (request.method == "GET"):
            raise Http404  # a GET of the answer addresses, a POST of the page itself
        queryset = Quote.objects.select_related("customer").defer("notes")
        self.quote = public_links.find(token, queryset)
        if self.quote is None:
            raise Http404
        self.token = token
        return _private(super().dispatch(request, token, action))

    def get(self, request, token, action=None):
        return self.page()

    def post(self, request, token, action):
        ip, agent = client_ip(request), request.headers.get("User-Agent", "")
        if action == "accept":
            form, other = AcceptForm(request.POST), "decline_form"
        elif action == "decline":
            form, other = DeclineForm(request.POST), "accept_form"
        else:
            raise Http404
        if not form.is_valid():
            return self.page(status=400, **{f"{action}_form": form})
        arguments = {"quote_id": self.quote.pk, "public_key": self.quote.public_key, "ip": ip}
        try:
            if action == "accept":
                customer_answers.customer_accepts(
                    name=form.cleaned_data["name"], user_agent=agent, **arguments
                )
            else:
                customer_answers.customer_declines(
                    reason=form.cleaned_data["reason"], user_agent=agent, **arguments
                )
        except ValidationError as error:
            return self.page(status=400, refusal=refusal_message(error), **{other: None})
        except (TransitionNotAllowed, ConcurrentTransition):
            return self.page(status=409)
        return redirect("public_quotes:show", token=token)

    def page(self, *, status=200, **context):
        quote = self.quote
        # The answer of a moment ago (or a refusal): the page shows the quote as it is now.
        quote.refresh_from_db()
        closed = customer_answers.why_closed_to_customer(quote)
        context = {
            "quote": quote,
            "company": settings.CRM_COMPANY,
            **sheet_context(quote),
            "closed": closed,
            "token": self.token,
            "accept_form": context.get("accept_form") or AcceptForm(),
            "decline_form": context.get("decline_form") or DeclineForm(),
            **{k: v for k, v in context.items() if not k.endswith("_form")},
        }
        return TemplateResponse(self.request, TEMPLATE, context, status=status)
