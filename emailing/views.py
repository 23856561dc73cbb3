"""The "Send by e-mail" page of a quote, and the state of its e-mail on the quote's page.
The rules are emailing.services'; the views translate HTTP into its calls and refusals into
messages."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from crm.access import VisibleObjectMixin
from crm.workflow import refusal_message
from emailing import panels, services
from emailing.forms import QuoteEmailForm
from emailing.models import QuoteEmail
from quotes.models import Quote


def _language(value) -> str:
    languages = dict(settings.LANGUAGES)
    if value in languages:
        return value
    current = get_language()
    return current if current in languages else settings.LANGUAGE_CODE


class QuoteEmailView(VisibleObjectMixin, View):
    """A quote the user may not see is a 404; one that cannot be sent now goes back to its
    page with the reason."""

    model = Quote
    http_method_names = ["get", "post"]

    def dispatch(self, request, pk):
        self.quote = get_object_or_404(
            self.get_queryset().select_related("customer", "created_by"), pk=pk
        )
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.quote)
        return super().dispatch(request, pk)

    def refusal(self) -> str | None:
        quote = self.quote
        if quote.status != Quote.Status.APPROVED:
            return services.WORKFLOW.sentence(quote, "send")
        if quote.is_past_validity:
            return _("This quote has expired and cannot be sent.")
        if services.active_email(quote) is not None:
            return _("An e-mail of this quote is being sent: wait until it has gone or failed.")
        return None

    def initial(self) -> dict:
        language = _language(self.request.GET.get("language"))
        initial = {"language": language}
        last = panels.latest_email(self.quote)
        if (
            last is not None
            and last.status == QuoteEmail.Status.FAILED
            and "language" not in self.request.GET
        ):
            # Trying again: what was written last time.
            initial.update(
                language=last.language,
                subject=last.subject,
                message=QuoteEmail.objects.values_list("message", flat=True).get(pk=last.pk),
                contacts=list(
                    self.quote.customer.contacts.filter(email__in=last.recipients).values_list(
                        "pk", flat=True
                    )
                ),
            )
            return initial
        initial.update(
            services.default_text(self.quote, language=language, by=self.request.user),
            contacts=list(
                self.quote.customer.contacts.exclude(email="")
                .filter(is_primary=True)
                .values_list("pk", flat=True)
            ),
        )
        return initial

    def get(self, request, pk):
        form = QuoteEmailForm(quote=self.quote, initial=self.initial())
        return self.page(form)

    def post(self, request, pk):
        form = QuoteEmailForm(request.POST, quote=self.quote)
        if not form.is_valid():
            return self.page(form, status=400)
        data = form.cleaned_data
        try:
            email = services.start_quote_email(
                quote_id=self.quote.pk,
                by=request.user,
                contact_ids=[contact.pk for contact in data["contacts"]],
                extra_address=data["extra_address"],
                subject=data["subject"],
                message=data["message"],
                language=data["language"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                return self.page(form, status=400)
            messages.error(request, refusal_message(error))
            return redirect(self.quote)
        text = _(
            "The e-mail to %(recipients)s is being sent; quote %(number)s becomes sent once it "
            "has gone."
        ) % {"recipients": ", ".join(email.recipients), "number": self.quote.number}
        if folder := services.mail_folder():
            text += " " + _("(Development: e-mails are written as files to %(folder)s.)") % {
                "folder": folder
            }
        messages.success(request, text)
        return redirect(self.quote)

    def page(self, form, status=200):
        return TemplateResponse(
            self.request,
            "emailing/quote_email.html",
            {
                "quote": self.quote,
                "form": form,
                "languages": settings.LANGUAGES,
                "language": form["language"].value(),
                "has_contacts": form.fields["contacts"].queryset.exists(),
            },
            status=status,
        )


class QuoteEmailStatusView(VisibleObjectMixin, View):
    """The panel again (htmx polls it while the e-mail is being sent); once it has finished,
    the whole page is loaded again, since the quote's state changed with it."""

    model = Quote
    http_method_names = ["get"]

    def get(self, request, pk):
        quote = get_object_or_404(self.get_queryset().only("id", "status", "number"), pk=pk)
        context = panels.quote_email(request, quote)
        email = context["email"]
        response = TemplateResponse(request, "emailing/_quote_panel.html", context)
        if email is not None and email.is_finished and request.htmx:
            response["HX-Refresh"] = "true"
        return response
