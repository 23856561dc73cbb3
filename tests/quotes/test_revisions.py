"""Revisions: a quote whose terms were approved is never edited; "Revise" makes a new
revision and the earlier one is superseded. The compare page shows what changed."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from quotes import services
from quotes.models import Quote
from quotes.revisions import latest_revision
from tests.factories import QuoteFactory, quote_with_lines

pytestmark = pytest.mark.django_db


def test_revising_a_sent_quote_makes_revision_2_a_draft_copy(sent, salesperson):
    Quote.objects.filter(pk=sent.pk).update(number="Q-2026-00042", terms="Net 30", notes="VIP")
    revision = services.revise_quote(quote_id=sent.pk, by=salesperson)

    assert (revision.number, revision.revision, revision.status) == ("Q-2026-00042-R2", 2, "draft")
    assert (revision.previous_revision_id, revision.original_id) == (sent.pk, sent.pk)
    assert (revision.terms, revision.notes, revision.valid_until) == (
        "Net 30",
        "VIP",
        sent.valid_until,
    )
    assert (revision.subtotal, revision.total) == (sent.subtotal, sent.total)
    copied = [line.priced_values() for line in revision.lines.all()]
    assert copied == [line.priced_values() for line in sent.lines.all()]
    assert len(copied) == 2
    assert revision.submitted_at is None and revision.decided_by is None
    sent.refresh_from_db()
    assert sent.status == "superseded"
    entry = StateLog.objects.for_(sent).get(state="superseded")
    assert (entry.by, entry.description) == (salesperson, "Replaced by revision Q-2026-00042-R2.")


def test_revision_3_keeps_the_base_number_and_the_original(sent, salesperson, manager):
    Quote.objects.filter(pk=sent.pk).update(number="Q-2026-00042")
    second = services.revise_quote(quote_id=sent.pk, by=salesperson)
    services.submit_quote(quote_id=second.pk, by=salesperson)
    services.approve_quote(quote_id=second.pk, by=manager)
    third = services.revise_quote(quote_id=second.pk, by=salesperson)
    assert (third.number, third.revision) == ("Q-2026-00042-R3", 3)
    assert (third.original_id, third.previous_revision_id) == (sent.pk, second.pk)
    assert latest_revision(sent) == third


def test_a_new_revision_needs_approval_again(sent, salesperson, manager):
    revision = services.revise_quote(quote_id=sent.pk, by=salesperson)
    services.update_quote(
        quote_id=revision.pk,
        by=salesperson,
        lines=[{"description": "Item 1", "quantity": 1, "unit_price": Decimal("900.00")}],
    )
    with pytest.raises(ValidationError):
        services.send_quote(quote_id=revision.pk, by=salesperson)
    services.submit_quote(quote_id=revision.pk, by=salesperson)
    assert Quote.objects.get(pk=revision.pk).status == "pending_approval"


@pytest.mark.parametrize("status", ["declined", "expired"])
def test_a_declined_or_expired_quote_can_be_revised(sent, salesperson, status):
    Quote.objects.filter(pk=sent.pk).update(status=status)
    revision = services.revise_quote(quote_id=sent.pk, by=salesperson)
    assert revision.revision == 2
    assert Quote.objects.get(pk=sent.pk).status == "superseded"


def test_a_rejected_quote_still_goes_back_to_draft_in_place(pending, manager, salesperson):
    services.reject_quote(quote_id=pending.pk, by=manager, reason="Too cheap")
    revised = services.revise_quote(quote_id=pending.pk, by=salesperson)
    assert (revised.pk, revised.status, revised.revision) == (pending.pk, "draft", 1)
    assert Quote.objects.count() == 1


@pytest.mark.parametrize("status", ["draft", "pending_approval", "accepted", "cancelled"])
def test_other_states_cannot_be_revised(opportunity, salesperson, status):
    quote = quote_with_lines(opportunity=opportunity)
    Quote.objects.filter(pk=quote.pk).update(status=status)
    with pytest.raises(ValidationError):
        services.revise_quote(quote_id=quote.pk, by=salesperson)
    assert Quote.objects.count() == 1


def test_a_superseded_revision_cannot_be_revised_again(sent, salesperson):
    services.revise_quote(quote_id=sent.pk, by=salesperson)
    with pytest.raises(ValidationError) as refused:
        services.revise_quote(quote_id=sent.pk, by=salesperson)
    assert "newer" in refused.value.messages[0]
    assert Quote.objects.count() == 2


def test_a_superseded_revision_cannot_be_accepted_sent_or_cancelled(sent, salesperson):
    services.revise_quote(quote_id=sent.pk, by=salesperson)
    for service in (services.accept_quote, services.cancel_quote, services.decline_quote):
        with pytest.raises(ValidationError):
            service(quote_id=sent.pk, by=salesperson)
    assert Quote.objects.get(pk=sent.pk).status == "superseded"


def test_the_revise_button_opens_the_new_revision(sales_client, sent):
    response = sales_client.post(
        reverse("quotes:transition", kwargs={"pk": sent.pk, "action": "revise"})
    )
    revision = Quote.objects.get(previous_revision=sent)
    assert response.url == revision.get_absolute_url()
    page = sales_client.get(revision.get_absolute_url())
    assert 'id="quote-revisions"' in page.text
    old_page = sales_client.get(sent.get_absolute_url())
    assert 'id="superseded"' in old_page.text
    assert 'id="customer-link"' not in old_page.text  # the link is for the current revision


# The compare page


@pytest.fixture
def changed(sent, salesperson):
    """Revision 2 of ``sent``: line 1 cheaper, line 2 removed, a line added, new terms."""
    revision = services.revise_quote(quote_id=sent.pk, by=salesperson)
    services.update_quote(
        quote_id=revision.pk,
        by=salesperson,
        terms="Payment in 60 days",
        valid_until=timezone.localdate() + timedelta(days=60),
        lines=[
            {"description": "Item 1", "quantity": 1, "unit_price": Decimal("800.00")},
            {"description": "Installation", "quantity": 2, "unit_price": Decimal("50.00")},
        ],
    )
    return revision


def test_compare_page_shows_changed_added_and_removed_lines_and_terms(sales_client, sent, changed):
    url = reverse("quotes:compare", kwargs={"pk": sent.pk, "other": changed.pk})
    response = sales_client.get(url)
    assert response.status_code == 200
    kinds = [(d.kind, d.line.description) for d in response.context["diff"]["lines"]]
    assert kinds == [("changed", "Item 1"), ("removed", "Item 2"), ("added", "Installation")]
    first = response.context["diff"]["lines"][0]
    assert [(c.name, c.old, c.new) for c in first.changes] == [
        ("unit_price", Decimal("1000.00"), Decimal("800.00")),
        ("line_total", Decimal("1000.00"), Decimal("800.00")),
    ]
    changed_terms = {c.name for c in response.context["diff"]["quote"]}
    assert {"valid_until", "total", "subtotal", "discount_total", "terms"} <= changed_terms
    text = response.text
    assert "Payment in 60 days" in text and 'id="changed-terms"' in text
    assert "CNY 1,000.00" in text and "CNY 800.00" in text  # old → new
    # Given the other way round, the older revision is still on the left.
    swapped = sales_client.get(
        reverse("quotes:compare", kwargs={"pk": changed.pk, "other": sent.pk})
    )
    assert swapped.context["old"] == sent


def test_compare_refuses_quotes_of_different_families_and_strangers(
    sales_client, teammate_client, sent, changed, opportunity
):
    stranger = QuoteFactory(opportunity=opportunity)
    url = reverse("quotes:compare", kwargs={"pk": sent.pk, "other": stranger.pk})
    assert sales_client.get(url).status_code == 404
    mine = reverse("quotes:compare", kwargs={"pk": sent.pk, "other": changed.pk})
    assert teammate_client.get(mine).status_code == 404
