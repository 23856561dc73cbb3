"""The background task of a quote e-mail (enqueued through ``django.tasks`` only)."""

from django.tasks import task

from crm import background
from emailing.models import QuoteEmail


@task()
def send_quote_email(quote_email_id: int) -> str:
    from emailing.services import deliver

    return background.run(QuoteEmail, quote_email_id, deliver)
