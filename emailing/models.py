"""A quote sent to the customer by e-mail: one ``QuoteEmail`` per "Send by e-mail".

It is a ``crm.background.Job``: made (with the whole text) when the salesperson sends, then
the worker attaches the PDF and hands the mail to the mail server. The quote stays approved,
its page saying "sending…", until the mail has gone; then, in one transaction, the quote
becomes sent and the e-mail is logged on the customer's timeline. ``mail_sent_at`` and
``communication`` record how far it got, so an attempt run again after the mail went (the
worker died, the database failed) neither sends it twice nor logs it twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.background import Job


class QuoteEmail(Job):
    task_path = "emailing.tasks.send_quote_email"

    quote = models.ForeignKey(
        "quotes.Quote", verbose_name=_("quote"), on_delete=models.CASCADE, related_name="emails"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    #: The addresses it goes to (the chosen contacts', then the typed one).
    recipients = models.JSONField(_("to"), default=list)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    #: What the salesperson wrote (offered again when they try again after a failure).
    message = models.TextField(_("message"))
    #: The text as sent: the message and the customer's link below it.
    body = models.TextField(_("text sent"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    #: When the mail server took the mail: from then on it is never sent again.
    mail_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    #: The e-mail on the customer's timeline, logged once.
    communication = models.OneToOneField(
        "communications.Communication",
        verbose_name=_("communication"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quote e-mail")
        verbose_name_plural = _("quote e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["quote", "-created_at", "-id"], name="quote_email_quote"),
            models.Index(fields=["-created_at", "-id"], name="quote_email_created"),
        ]

    def __str__(self):
        return f"{self.quote} → {', '.join(self.recipients)}"

    @property
    def is_active(self) -> bool:
        return not self.is_finished
