"""Sending a quote to the customer by e-mail.

``start_quote_email`` (the salesperson's "Send": checks, then the text and the job, in one
transaction with the quote locked) and ``deliver`` (the worker's work: the PDF, the mail, then
in one transaction the quote sent and the e-mail logged on the customer's timeline).

Like "Mark as sent" (quotes.services.send_quote), only an approved quote within its
valid-until date can be e-mailed; it stays approved, showing "sending…", until the mail
server has taken the mail, and is marked sent by whoever sent it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from communications.models import Communication
from crm import background
from crm.documents import pdf_filename
from emailing.models import QuoteEmail
from notifications.services import send_message, site_url
from quotes import public_links
from quotes.models import Quote
from quotes.services import WORKFLOW

Status = QuoteEmail.Status
ACTIVE = (Status.QUEUED, Status.RUNNING)


def _template(language: str, name: str):
    return select_template(
        [f"emailing/quote/{language}/{name}", f"emailing/quote/{settings.LANGUAGE_CODE}/{name}"]
    )


def default_text(quote: Quote, *, language: str, by) -> dict[str, str]:
    """The subject and message offered in ``language`` (templates/emailing/quote/<language>/),
    for the salesperson to change before sending."""
    contacts = [c for c in quote.customer.contacts.all() if c.email]
    context = {
        "quote": quote,
        "customer": quote.customer,
        "contact": contacts[0] if contacts else None,
        "sender": by,
        "sender_name": by.get_full_name() or by.username,
        "company": settings.CRM_COMPANY,
    }
    with translation.override(language):
        subject = _template(language, "subject.txt").render(context)
        message = _template(language, "message.txt").render(context)
    return {"subject": " ".join(subject.split()), "message": message.strip()}


def active_email(quote: Quote) -> QuoteEmail | None:
    return QuoteEmail.objects.filter(quote=quote, status__in=ACTIVE).first()


def _recipients(quote: Quote, contact_ids, extra_address: str) -> list[str]:
    ids = set()
    for value in contact_ids or ():
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            raise ValidationError({"contacts": _("Choose a valid contact.")}) from None
    contacts = list(quote.customer.contacts.filter(pk__in=ids).exclude(email=""))
    if not ids or len(contacts) != len(ids):
        raise ValidationError(
            {
                "contacts": _(
                    "Choose at least one of the customer's contacts with an e-mail address."
                )
            }
        )
    addresses = [contact.email for contact in contacts]
    if extra_address:
        addresses.append(extra_address)
    unique = {}
    for address in addresses:
        unique.setdefault(address.lower(), address)
    return list(unique.values())


def start_quote_email(
    *, quote_id, by, contact_ids, subject, message, language, extra_address=""
) -> QuoteEmail:
    """Send an approved quote ``by`` may see to the chosen contacts of its customer (and
    ``extra_address``): the job is written now, the worker sends it once this commits.

    Guarantees: the quote is approved and within its valid-until date, and no other e-mail
    of it is being sent; every contact is one of the quote's customer's, with an address; the
    subject and message are not empty; the text carries the customer's link (made now when
    the quote has none). ``Quote.DoesNotExist`` for a quote ``by`` may not see; any other
    refusal is a ValidationError, and nothing is saved or sent.
    """
    subject = " ".join((subject or "").split())
    message = (message or "").strip()
    extra_address = (extra_address or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Write the e-mail's subject.")
    elif len(subject) > 200:
        errors["subject"] = _("The subject is too long (200 characters at most).")
    if not message:
        errors["message"] = _("Write the e-mail's message.")
    elif len(message) > 10000:
        errors["message"] = _("The message is too long (10,000 characters at most).")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose one of the languages offered.")
    if extra_address:
        try:
            validate_email(extra_address)
        except ValidationError:
            errors["extra_address"] = _("Enter a valid e-mail address.")
    with WORKFLOW.locked(quote_id, by=by) as quote:
        WORKFLOW.check(quote, "send")
        if quote.is_past_validity:
            raise ValidationError(_("This quote has expired and cannot be sent."))
        if active_email(quote) is not None:
            raise ValidationError(
                _("An e-mail of this quote is being sent: wait until it has gone or failed.")
            )
        if errors:
            raise ValidationError(errors)
        recipients = _recipients(quote, contact_ids, extra_address)
        if not quote.public_key:
            quote.public_key = public_links.new_key()
            Quote.objects.filter(pk=quote.pk).update(public_key=quote.public_key)
        with translation.override(language):
            link = (
                _template(language, "link.txt")
                .render({"quote": quote, "link": site_url(public_links.path_for(quote))})
                .strip()
            )
        email = QuoteEmail.objects.create(
            quote=quote,
            sent_by=by,
            recipients=recipients,
            language=language,
            subject=subject,
            message=message,
            body=f"{message}\n\n{link}\n",
        )
        background.enqueue(email)
    return email


def _still_sendable(quote: Quote) -> None:
    """Refuse for good (no retry) when the quote moved on before its mail went."""
    if quote.status != Quote.Status.APPROVED:
        raise background.GiveUp(
            _(
                "Nothing was sent: the quote is now “%(status)s”, and only an approved quote is sent."
            )
            % {"status": quote.get_status_display()}
        )
    if quote.is_past_validity:
        raise background.GiveUp(_("Nothing was sent: the quote has expired."))


def build_message(email: QuoteEmail, pdf: bytes) -> EmailMessage:
    sender = email.sent_by
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.recipients,
        # Answers reach the salesperson, not the robot address.
        reply_to=[sender.email] if sender.email else None,
    )
    message.attach(pdf_filename(email.quote.number), pdf, "application/pdf")
    return message


def deliver(job: QuoteEmail) -> None:
    """The work of a quote e-mail's job (crm.background.run): resumable at each step.

    1. Unless the mail went already: the quote must still be approved (else the job fails
       at once, nothing sent); the PDF in the e-mail's language; the mail handed to the mail
       server (a failure raises, and the job is tried again); ``mail_sent_at`` recorded.
    2. In one transaction, with the quote locked: the e-mail logged on the customer's
       timeline unless it already is, and the quote marked sent unless it moved on.
    """
    from emailing.documents import quote_pdf

    email = QuoteEmail.objects.select_related("quote__customer", "sent_by").get(pk=job.pk)
    if email.mail_sent_at is None:
        _still_sendable(email.quote)
        with translation.override(email.language):
            pdf = quote_pdf(email.quote)
        send_message(build_message(email, pdf))
        email.mail_sent_at = timezone.now()
        QuoteEmail.objects.filter(pk=email.pk).update(mail_sent_at=email.mail_sent_at)
    with transaction.atomic():
        quote = Quote.objects.select_for_update(of=("self",)).get(pk=email.quote_id)
        locked = QuoteEmail.objects.select_for_update().get(pk=email.pk)
        if locked.communication_id is None:
            locked.communication = log_communication(locked, quote)
            locked.save(update_fields=["communication"])
        if quote.status == Quote.Status.APPROVED and can_proceed(quote.send):
            WORKFLOW.run(
                quote,
                "send",
                by=email.sent_by,
                note=_("Sent by e-mail to %(recipients)s.")
                % {"recipients": ", ".join(email.recipients)},
            )


def log_communication(email: QuoteEmail, quote: Quote) -> Communication:
    """The e-mail on the customer's timeline: outbound, by its sender, with its subject,
    recipients and text. Written directly, not through communications.services: the mail
    has gone, so it is logged even if the sender could no longer log one by hand (the
    customer reassigned or archived meanwhile)."""
    header = _("To: %(recipients)s") % {"recipients": ", ".join(email.recipients)}
    attachment = _("Attached: %(file)s") % {"file": pdf_filename(quote.number)}
    content = f"{header}\n{attachment}\n\n{email.body}"
    return Communication.objects.create(
        customer=quote.customer,
        opportunity=quote.opportunity,
        author=email.sent_by,
        channel=Communication.Channel.EMAIL,
        direction=Communication.Direction.OUTBOUND,
        subject=email.subject[:200],
        content=content[:20000],
        occurred_at=email.mail_sent_at or timezone.now(),
    )


def mail_folder() -> str | None:
    """Where the file e-mail backend writes (development): said after sending."""
    mailer = settings.MAILERS.get("default", {})
    if mailer.get("BACKEND", "").endswith("filebased.EmailBackend"):
        return str(mailer.get("OPTIONS", {}).get("file_path", ""))
    return None
