"""E-mails that tell people about their work (a quote waiting for their approval, their quote
decided, a customer's answer), and each person's choice to receive them or not.

A ``Notification`` is a ``crm.background.Job``: written in the transaction of the change it
tells about (a change rolled back tells nothing), sent by the background worker once that
commits, tried again when the mail server fails, and shown failed with its reason after the
last attempt (admin). Its text is written when it is made, in the recipient's language.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.background import Job


class Preference(models.Model):
    """One person's choices; a person without a row gets the defaults (e-mails on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(
        _("notify me by e-mail"),
        default=True,
        help_text=_(
            "Quotes and orders waiting for your approval, your quotes and orders approved or "
            "rejected, and your customers' answers to their quote links."
        ),
    )
    #: The language of the e-mails; empty: the site's default language.
    language = models.CharField(
        _("language of the e-mails"), max_length=10, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)


class Notification(Job):
    """One e-mail to one person."""

    task_path = "notifications.tasks.send_notification"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    #: The address when it was written (the user may change theirs later).
    to_email = models.EmailField(_("to"))
    #: What it tells, as a dotted code ("quote.waiting_for_approval").
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification e-mail")
        verbose_name_plural = _("notification e-mails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="notification_created")]

    def __str__(self):
        return f"{self.kind} → {self.to_email}"
