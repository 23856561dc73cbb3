"""The quote page's panel (registered in EmailingConfig.ready): the e-mail being sent, the
last one's failure with its reason, or when it went."""

from emailing.models import QuoteEmail


def latest_email(quote) -> QuoteEmail | None:
    return (
        QuoteEmail.objects.filter(quote=quote)
        .select_related("sent_by")
        .defer("body", "message")
        .first()
    )


def quote_email(request, quote) -> dict:
    return {"quote": quote, "email": latest_email(quote)}
