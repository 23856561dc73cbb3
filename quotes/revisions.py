"""Revisions of a quote: a copy to change and submit again, replacing one whose terms were
approved (quotes.services.revise_quote locks and supersedes the earlier one)."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from opportunities.stages import Stage
from quotes.models import Quote, QuoteLine
from quotes.pricing import set_lines


def new_revision(quote: Quote, *, by) -> Quote:
    """Revision n+1 of ``quote`` (locked by the caller): a draft numbered ``<base>-R<n+1>``,
    made by ``by``, with copies of its lines, validity, terms and notes, and the totals of
    those lines."""
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
        prices_include_tax=quote.prices_include_tax,
    )
    revision.save()
    # The lines as they were sent (product, prices, tax and cost as copied then), and the
    # totals worked out from them as for any quote; the rule that required a manager is the
    # new submission's to find.
    set_lines(revision, [QuoteLine(**line.priced_values()) for line in quote.lines.all()])
    return revision


def latest_revision(quote: Quote) -> Quote:
    """The newest revision of the quote's family (the quote itself when it is the latest)."""
    return (
        Quote.objects.filter(Q(pk=quote.family_id) | Q(original_id=quote.family_id))
        .order_by("-revision")
        .first()
    )
