"""Sending a quote by e-mail (emailing.services and its pages), on the immediate task backend
and a real SMTP server on 127.0.0.1: what arrives (subject, recipients, the customer's link,
the PDF), the quote becoming sent, the e-mail on the customer's timeline once only, and the
refusals."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from communications.models import Communication
from emailing import services
from emailing.documents import quote_pdf
from emailing.models import QuoteEmail
from quotes import public_links
from quotes.models import Quote
from quotes.services import cancel_quote
from tests.factories import ContactFactory, quote_with_lines

pytestmark = pytest.mark.django_db


def email_url(quote):
    return reverse("emailing:quote", kwargs={"pk": quote.pk})


def form_data(quote, contact, **overrides):
    return {
        "language": "en",
        "contacts": [contact.pk],
        "extra_address": "",
        "subject": f"Quote {quote.number}",
        "message": "Dear Wang Fang,\n\nOur quote is attached.",
        **overrides,
    }


def send(quote, by, contact, **overrides):
    data = form_data(quote, contact, **overrides)
    return services.start_quote_email(
        quote_id=quote.pk,
        by=by,
        contact_ids=data["contacts"],
        extra_address=data["extra_address"],
        subject=data["subject"],
        message=data["message"],
        language=data["language"],
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_salesperson_emails_an_approved_quote_and_the_customer_receives_it_with_the_pdf(
    sales_client, approved, contact, mailbox, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sales_client.post(
            email_url(approved),
            form_data(approved, contact, extra_address="boss@buyer.test"),
        )
    assert response.status_code == 302

    [mail] = mailbox.received
    assert mail.subject == f"Quote {approved.number}"
    assert sorted(mail.recipients) == ["boss@buyer.test", "wang.fang@buyer.test"]
    approved.refresh_from_db()
    link = "http://127.0.0.1:8000" + public_links.path_for(approved)
    assert "Our quote is attached." in mail.text and link in mail.text
    assert mail.message["Reply-To"] == approved.created_by.email
    [(name, pdf)] = mail.attachments.items()
    assert name == f"{approved.number}.pdf"
    assert pdf.startswith(b"%PDF") and approved.number in pdf_text(pdf)

    assert approved.status == Quote.Status.SENT
    email = QuoteEmail.objects.get()
    assert (email.status, email.attempts, email.error) == ("done", 1, "")
    logged = Communication.objects.get()
    assert (logged.channel, logged.direction, logged.subject) == (
        "email",
        "outbound",
        f"Quote {approved.number}",
    )
    assert "wang.fang@buyer.test" in logged.content and link in logged.content
    assert logged.customer_id == approved.customer_id and email.communication_id == logged.pk


@pytest.mark.parametrize("cancelled", [False, True])
def test_the_attachment_is_the_downloaded_pdf_word_for_word(
    sales_client, approved, salesperson, cancelled
):
    if cancelled:  # a watermark, from the same rule on both
        approved = cancel_quote(quote_id=approved.pk, by=salesperson)
    downloaded = sales_client.get(reverse("quotes:pdf", kwargs={"pk": approved.pk})).content
    attached = pdf_text(quote_pdf(approved))
    assert attached == pdf_text(downloaded)
    assert ("Cancelled" in attached) is cancelled


def test_the_flash_message_says_the_mail_is_being_sent_and_where_development_mail_goes(
    sales_client, approved, contact, settings, tmp_path
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path / "sent-mail")},
        }
    }
    response = sales_client.post(email_url(approved), form_data(approved, contact), follow=True)
    text = response.content.decode()
    assert "is being sent" in text and str(tmp_path / "sent-mail") in text
    # The worker has not run: the quote is still approved, its page says "sending".
    assert 'id="quote-email-sending"' in text
    approved.refresh_from_db()
    assert approved.status == Quote.Status.APPROVED


def test_the_form_is_prefilled_from_the_language_template(sales_client, approved, contact):
    english = sales_client.get(email_url(approved)).content.decode()
    assert f"Quote {approved.number} from" in english and "Dear Wang Fang" in english
    chinese = sales_client.get(email_url(approved) + "?language=zh-hans").content.decode()
    assert f"报价单 {approved.number}" in chinese and "尊敬的Wang Fang" in chinese


def test_a_chinese_email_carries_the_chinese_link_text(
    approved, salesperson, contact, mailbox, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(approved, salesperson, contact, language="zh-hans", subject="报价单")
    [mail] = mailbox.received
    assert mail.subject == "报价单" and "在线查看报价单" in mail.text


def test_a_retried_task_after_the_mail_went_sends_and_logs_it_once(
    approved, salesperson, contact, mailbox, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        email = send(approved, salesperson, contact)
    calls = {"n": 0}
    real_log = services.log_communication

    def database_fails_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the database went away")
        return real_log(*args, **kwargs)

    monkeypatch.setattr(services, "log_communication", database_fails_once)
    with pytest.raises(RuntimeError):
        services.deliver(email)
    email.refresh_from_db()
    assert email.mail_sent_at is not None and len(mailbox.received) == 1
    approved.refresh_from_db()
    assert approved.status == Quote.Status.APPROVED  # rolled back with the log

    services.deliver(email)  # the attempt run again
    services.deliver(email)  # and a task delivered twice
    assert len(mailbox.received) == 1
    assert Communication.objects.count() == 1
    approved.refresh_from_db()
    assert approved.status == Quote.Status.SENT


def test_a_teammates_quote_cannot_be_emailed(teammate_client, approved, contact):
    assert teammate_client.get(email_url(approved)).status_code == 404
    response = teammate_client.post(email_url(approved), form_data(approved, contact))
    assert response.status_code == 404
    assert not QuoteEmail.objects.exists()


def test_the_service_refuses_a_teammates_quote(approved, teammate, contact):
    with pytest.raises(Quote.DoesNotExist):
        send(approved, teammate, contact)


def test_a_quote_not_approved_cannot_be_emailed(
    sales_client, salesperson, opportunity_quote_draft, contact, mailbox
):
    response = sales_client.post(
        email_url(opportunity_quote_draft), form_data(opportunity_quote_draft, contact), follow=True
    )
    assert "only an approved quote can" in response.content.decode()
    with pytest.raises(ValidationError, match="only an approved quote can"):
        send(opportunity_quote_draft, salesperson, contact)
    assert not QuoteEmail.objects.exists() and not mailbox.received


@pytest.fixture
def opportunity_quote_draft(customer):
    from tests.factories import OpportunityFactory

    return quote_with_lines(opportunity=OpportunityFactory(customer=customer))


def test_a_contact_of_another_customer_is_refused(approved, salesperson, foreign_customer):
    stranger = ContactFactory(customer=foreign_customer, email="x@elsewhere.test")
    with pytest.raises(ValidationError) as error:
        send(approved, salesperson, stranger)
    assert "contacts" in error.value.message_dict
    assert not QuoteEmail.objects.exists()


def test_no_contact_chosen_is_refused_on_the_form(sales_client, approved, contact):
    response = sales_client.post(email_url(approved), form_data(approved, contact, contacts=[]))
    assert response.status_code == 400
    assert "Choose at least one contact." in response.content.decode()
    assert not QuoteEmail.objects.exists()


def test_a_second_email_while_one_is_sending_is_refused(approved, salesperson, contact):
    send(approved, salesperson, contact)
    with pytest.raises(ValidationError, match="is being sent"):
        send(approved, salesperson, contact)


def test_a_quote_cancelled_before_the_worker_ran_sends_nothing_and_says_why(
    approved, salesperson, contact, mailbox, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = send(approved, salesperson, contact)
    cancel_quote(quote_id=approved.pk, by=salesperson)
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 1  # no retry can change it
    assert "Cancelled" in email.error and not mailbox.received
    assert not Communication.objects.exists()


def test_mark_as_sent_still_works_without_an_email(sales_client, approved):
    response = sales_client.post(reverse("quotes:transition", args=[approved.pk, "send"]))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == Quote.Status.SENT and not QuoteEmail.objects.exists()


def test_the_email_page_refuses_get_for_anonymous(client, approved):
    response = client.get(email_url(approved))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_manager_sees_quote_emails_in_admin(manager_client, approved, salesperson, contact):
    send(approved, salesperson, contact)
    response = manager_client.get(reverse("admin:emailing_quoteemail_changelist"))
    assert response.status_code == 200
    assert "wang.fang@buyer.test" in response.content.decode()
