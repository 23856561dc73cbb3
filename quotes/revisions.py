"""Revisions of a quote: a copy to change and submit again, replacing one whose terms were
approved (quotes.services.revise_quote locks and supersedes the earlier one)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from opportunities.stages import Stage
from quotes.models import Quote, QuoteLine


def new_revision(quote: Quote, *, by) -> Quote:
    """Revision n+1 of ``quote`` (locked by the caller): a draft numbered ``<base>-R<n+1>``,
    made by ``by``, with copies of its lines, totals, validity, terms and notes."""
    opportunity = quote.opportunity
    if opportunity.stage == Stage.LOST:
        raise ValidationError(_("Reopen the lost opportunity before revising its quote."))
    revision = Quote(
        number=f"{quote.base_number}-R{quote.revision + 1}",
        revision=quote.revision + 1,
        previous_revision=quote,
        original_id=quote.family_id,
        opportunity=opportunity,
        customer_id=quote.customer_id,
        created_by=by,
        valid_until=quote.valid_until,
        terms=quote.terms,
        notes=quote.notes,
        subtotal=quote.subtotal,
        discount_total=quote.discount_total,
        total=quote.total,
    )
    revision.save()
    QuoteLine.objects.bulk_create(
        QuoteLine(quote=revision, **line.priced_values()) for line in quote.lines.all()
    )
    return revision


def latest_revision(quote: Quote) -> Quote:
    """The newest revision of the quote's family (the quote itself when it is the latest)."""
    return (
        Quote.objects.filter(Q(pk=quote.family_id) | Q(original_id=quote.family_id))
        .order_by("-revision")
        .first()
    )
