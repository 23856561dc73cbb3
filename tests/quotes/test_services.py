import re
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_fsm_log.models import StateLog

from quotes import services
from quotes.models import Quote
from tests.factories import ApprovalRuleFactory, OpportunityFactory, quote_with_lines

pytestmark = pytest.mark.django_db


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def line(description, quantity, unit_price, discount="0"):
    return {
        "description": description,
        "quantity": Decimal(quantity),
        "unit_price": Decimal(unit_price),
        "discount_percent": Decimal(discount),
    }


def steps(quote):
    return list(
        StateLog.objects.for_(quote)
        .order_by("timestamp", "id")
        .values_list("source_state", "state")
    )


def move_valid_until(quote, days):
    """The valid-until date moved by hand, as time passing would (the services refuse a past
    date, rightly)."""
    Quote.objects.filter(pk=quote.pk).update(valid_until=in_days(days))
    quote.refresh_from_db()
    return quote


# Totals and numbers


def test_totals_are_decimal_exact_for_several_discounted_lines(salesperson, opportunity):
    quote = services.create_quote(
        by=salesperson,
        opportunity_id=opportunity.pk,
        valid_until=in_days(30),
        lines=[
            line("Licences", "3", "19.99", "10"),  # 59.97 less 10 % = 53.973 -> 53.97
            line("Set-up", "2.5", "100.00"),  # 250.00
            line("Cable", "1", "0.10", "33.33"),  # 0.10 x 0.6667 = 0.06667 -> 0.07
            line("Adapter", "1", "0.25", "50"),  # 0.125: half a cent rounds up -> 0.13
        ],
    )
    quote.refresh_from_db()
    assert [line.line_total for line in quote.lines.all()] == [
        Decimal("53.97"),
        Decimal("250.00"),
        Decimal("0.07"),
        Decimal("0.13"),
    ]
    assert (quote.subtotal, quote.discount_total, quote.total) == (
        Decimal("310.32"),
        Decimal("6.15"),
        Decimal("304.17"),
    )
    assert all(isinstance(v, Decimal) for v in (quote.subtotal, quote.discount_total, quote.total))


def test_changing_the_lines_of_a_draft_brings_the_totals_along(salesperson, draft):
    services.update_quote(
        quote_id=draft.pk, by=salesperson, lines=[line("Consulting day", "4", "1250.00", "20")]
    )
    draft.refresh_from_db()
    assert (draft.subtotal, draft.discount_total, draft.total) == (
        Decimal("5000.00"),
        Decimal("1000.00"),
        Decimal("4000.00"),
    )
    assert draft.lines.get().description == "Consulting day"


def test_new_quotes_get_readable_increasing_numbers(salesperson, opportunity):
    first, second = (
        services.create_quote(by=salesperson, opportunity_id=opportunity.pk, valid_until=in_days(9))
        for _ in range(2)
    )
    year = timezone.localdate().year
    assert re.fullmatch(rf"Q-{year}-\d{{5}}", first.number)
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


def test_bad_lines_are_refused_and_nothing_is_saved(salesperson, opportunity):
    with pytest.raises(ValidationError) as refused:
        services.create_quote(
            by=salesperson,
            opportunity_id=opportunity.pk,
            valid_until=in_days(30),
            lines=[line("Fine", "1", "10"), line("Too generous", "1", "10", "120")],
        )
    assert "Line 2" in " ".join(refused.value.messages)
    assert not Quote.objects.exists()


# Who may quote what, and when


def test_salesperson_cannot_quote_someone_elses_opportunity(salesperson, foreign_opportunity):
    with pytest.raises(ValidationError):
        services.create_quote(
            by=salesperson, opportunity_id=foreign_opportunity.pk, valid_until=in_days(30)
        )
    assert not Quote.objects.exists()


def test_lost_opportunity_cannot_be_quoted(salesperson, customer):
    lost = OpportunityFactory(customer=customer, stage="lost", lost_reason="Too expensive")
    with pytest.raises(ValidationError):
        services.create_quote(by=salesperson, opportunity_id=lost.pk, valid_until=in_days(30))


def test_valid_until_in_the_past_is_refused(salesperson, opportunity, draft):
    with pytest.raises(ValidationError) as refused:
        services.create_quote(
            by=salesperson, opportunity_id=opportunity.pk, valid_until=in_days(-1)
        )
    assert "valid_until" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.update_quote(quote_id=draft.pk, by=salesperson, valid_until=in_days(-1))
    draft.refresh_from_db()
    assert draft.valid_until == in_days(30)
    assert Quote.objects.count() == 1


def test_a_draft_without_lines_cannot_be_submitted(salesperson, opportunity):
    quote = services.create_quote(
        by=salesperson, opportunity_id=opportunity.pk, valid_until=in_days(30)
    )
    with pytest.raises(ValidationError):
        services.submit_quote(quote_id=quote.pk, by=salesperson)
    quote.refresh_from_db()
    assert quote.status == "draft"


def test_a_draft_past_its_date_cannot_be_submitted(salesperson, draft):
    move_valid_until(draft, -1)
    with pytest.raises(ValidationError):
        services.submit_quote(quote_id=draft.pk, by=salesperson)
    assert Quote.objects.get(pk=draft.pk).status == "draft"


# Frozen after submitting; revising starts over


def test_lines_and_terms_are_frozen_once_submitted(salesperson, pending):
    before = list(pending.lines.values_list("description", "quantity", "unit_price"))
    with pytest.raises(ValidationError):
        services.update_quote(quote_id=pending.pk, by=salesperson, terms="Pay in 90 days")
    with pytest.raises(ValidationError):
        services.update_quote(
            quote_id=pending.pk, by=salesperson, lines=[line("Cheaper", "1", "1.00")]
        )
    pending.refresh_from_db()
    assert (pending.terms, pending.total) == ("", Decimal("1900.00"))
    assert list(pending.lines.values_list("description", "quantity", "unit_price")) == before


def test_rejection_needs_a_reason(manager, pending):
    with pytest.raises(ValidationError):
        services.reject_quote(quote_id=pending.pk, by=manager, reason="   ")
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("pending_approval", None)


def test_revising_a_rejected_quote_resets_the_approval(salesperson, manager, pending):
    services.reject_quote(quote_id=pending.pk, by=manager, reason="Discount too high")
    quote = services.revise_quote(quote_id=pending.pk, by=salesperson)
    quote.refresh_from_db()
    assert quote.status == "draft"
    assert (quote.submitted_by, quote.submitted_at, quote.decided_by, quote.decided_at) == (
        None,
        None,
        None,
        None,
    )
    assert (quote.decision_reason, quote.auto_approved_by_rule) == ("", "")
    # The history keeps what happened.
    assert steps(quote) == [
        ("draft", "pending_approval"),
        ("pending_approval", "rejected"),
        ("rejected", "draft"),
    ]
    # Editable again, and it must be approved anew.
    services.update_quote(quote_id=quote.pk, by=salesperson, terms="Net 30")
    quote = services.submit_quote(quote_id=quote.pk, by=salesperson)
    assert quote.status == "pending_approval"


# Approval: four eyes, permission


def test_manager_approves_a_salespersons_quote(manager, pending):
    quote = services.approve_quote(quote_id=pending.pk, by=manager, note="Good margin")
    quote.refresh_from_db()
    assert (quote.status, quote.decided_by, quote.decision_reason) == (
        "approved",
        manager,
        "Good margin",
    )
    entry = StateLog.objects.for_(quote).get(state="approved")
    assert (entry.by, entry.description) == (manager, "Good margin")


def test_manager_cannot_approve_a_quote_they_created(manager, other_manager, opportunity):
    quote = services.create_quote(
        by=manager,
        opportunity_id=opportunity.pk,
        valid_until=in_days(30),
        lines=[line("Item", "1", "100")],
    )
    services.submit_quote(quote_id=quote.pk, by=manager)
    with pytest.raises(PermissionDenied):
        services.approve_quote(quote_id=quote.pk, by=manager)
    assert Quote.objects.get(pk=quote.pk).status == "pending_approval"
    services.approve_quote(quote_id=quote.pk, by=other_manager)
    assert Quote.objects.get(pk=quote.pk).status == "approved"


def test_manager_cannot_approve_a_quote_they_submitted(manager, draft):
    services.submit_quote(quote_id=draft.pk, by=manager)
    with pytest.raises(PermissionDenied):
        services.approve_quote(quote_id=draft.pk, by=manager)
    draft.refresh_from_db()
    assert (draft.status, draft.decided_by) == ("pending_approval", None)


def test_salesperson_cannot_approve_or_reject_at_all(salesperson, teammate, pending):
    for person in (salesperson, teammate):
        with pytest.raises((PermissionDenied, Quote.DoesNotExist)):
            services.approve_quote(quote_id=pending.pk, by=person)
    with pytest.raises(PermissionDenied):
        services.reject_quote(quote_id=pending.pk, by=salesperson, reason="Mine, no")
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.decision_reason) == (
        "pending_approval",
        None,
        "",
    )
    assert steps(pending) == [("draft", "pending_approval")]


def test_deciding_twice_is_refused_with_a_clear_message(manager, other_manager, approved):
    with pytest.raises(ValidationError) as refused:
        services.approve_quote(quote_id=approved.pk, by=other_manager)
    assert "approved" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.reject_quote(quote_id=approved.pk, by=other_manager, reason="Too late")
    assert Quote.objects.get(pk=approved.pk).decided_by == manager


# Automatic approval


def test_rule_approves_automatically_and_is_named(salesperson, draft):
    ApprovalRuleFactory(name="Small deals", max_total="5000", max_discount_percent="10")
    quote = services.submit_quote(quote_id=draft.pk, by=salesperson)
    quote.refresh_from_db()
    assert (quote.status, quote.auto_approved_by_rule, quote.decided_by) == (
        "approved",
        "Small deals",
        None,
    )
    approval = StateLog.objects.for_(quote).get(state="approved")
    assert approval.by is None
    assert "Small deals" in approval.description
    assert quote.submitted_by == salesperson


@pytest.mark.parametrize(
    ("rule", "why"),
    [
        ({"max_total": "1000"}, "total above the limit"),
        ({"max_discount_percent": "4.99"}, "discount above the limit"),  # the draft gives 5 %
        ({"is_active": False}, "rule switched off"),
    ],
)
def test_quote_outside_every_rule_waits_for_a_manager(salesperson, draft, rule, why):
    ApprovalRuleFactory(**rule)
    quote = services.submit_quote(quote_id=draft.pk, by=salesperson)
    assert quote.status == "pending_approval", why
    assert quote.auto_approved_by_rule == ""


def test_without_rules_every_quote_waits(salesperson, opportunity):
    tiny = quote_with_lines(opportunity=opportunity, lines=((1, "0.01", "0"),))
    quote = services.submit_quote(quote_id=tiny.pk, by=salesperson)
    assert quote.status == "pending_approval"


# After approval: send, accept, expire


def test_approved_quote_is_sent_and_accepted(salesperson, approved):
    services.send_quote(quote_id=approved.pk, by=salesperson)
    quote = services.accept_quote(quote_id=approved.pk, by=salesperson, note="Signed")
    quote.refresh_from_db()
    assert quote.status == "accepted"
    assert quote.sent_at and quote.closed_at
    assert steps(quote)[-2:] == [("approved", "sent"), ("sent", "accepted")]


def test_approved_quote_past_its_date_cannot_be_accepted_before_the_command(salesperson, approved):
    move_valid_until(approved, -1)
    with pytest.raises(ValidationError):
        services.accept_quote(quote_id=approved.pk, by=salesperson)
    with pytest.raises(ValidationError):
        services.send_quote(quote_id=approved.pk, by=salesperson)
    assert Quote.objects.get(pk=approved.pk).status == "approved"


def test_expire_quotes_command_expires_only_approved_and_sent_past_validity(
    salesperson, opportunity, approved
):
    move_valid_until(approved, -1)
    sent = quote_with_lines(opportunity=opportunity)
    services.submit_quote(quote_id=sent.pk, by=salesperson)
    Quote.objects.filter(pk=sent.pk).update(status="sent", valid_until=in_days(-3))
    still_valid = quote_with_lines(opportunity=opportunity)
    Quote.objects.filter(pk=still_valid.pk).update(status="approved")
    old_draft = quote_with_lines(opportunity=opportunity)
    move_valid_until(old_draft, -10)

    out = StringIO()
    call_command("expire_quotes", stdout=out)
    assert out.getvalue().strip() == "2 quote(s) expired."
    statuses = dict(Quote.objects.values_list("pk", "status"))
    assert statuses[approved.pk] == statuses[sent.pk] == "expired"
    assert (statuses[still_valid.pk], statuses[old_draft.pk]) == ("approved", "draft")
    expiry = StateLog.objects.for_(approved).get(state="expired")
    assert (expiry.source_state, expiry.by) == ("approved", None)

    again = StringIO()
    call_command("expire_quotes", stdout=again)
    assert again.getvalue().strip() == "0 quote(s) expired."
    assert StateLog.objects.filter(state="expired").count() == 2


def test_expired_quote_cannot_be_accepted(salesperson, approved):
    move_valid_until(approved, -1)
    services.expire_quotes()
    with pytest.raises(ValidationError):
        services.accept_quote(quote_id=approved.pk, by=salesperson)
    assert Quote.objects.get(pk=approved.pk).status == "expired"


def test_cancel_closes_an_open_quote_and_nothing_reopens_it(salesperson, pending):
    services.cancel_quote(quote_id=pending.pk, by=salesperson, note="Customer went quiet")
    with pytest.raises(ValidationError):
        services.submit_quote(quote_id=pending.pk, by=salesperson)
    quote = Quote.objects.get(pk=pending.pk)
    assert quote.status == "cancelled" and quote.closed_at


# Buttons offered


def test_actions_offered_follow_the_state_and_the_person(
    salesperson, manager, other_manager, draft
):
    assert services.available_actions(draft, salesperson) == ["submit", "cancel"]
    services.submit_quote(quote_id=draft.pk, by=manager)
    draft.refresh_from_db()
    assert services.available_actions(draft, salesperson) == ["cancel"]
    assert services.available_actions(draft, manager) == ["cancel"]  # four eyes
    assert services.available_actions(draft, other_manager) == ["approve", "reject", "cancel"]
    services.approve_quote(quote_id=draft.pk, by=other_manager)
    draft.refresh_from_db()
    # An approved quote's terms are frozen: "revise" makes a new revision.
    assert services.available_actions(draft, salesperson) == ["revise", "send", "accept", "cancel"]
    move_valid_until(draft, -1)
    assert services.available_actions(draft, salesperson) == ["revise", "cancel"]


def test_amounts_too_large_to_store_are_refused_with_a_message(salesperson, customer):
    deal = OpportunityFactory(customer=customer)
    huge = [{"description": "Everything", "quantity": "1000000000", "unit_price": "100000000000"}]
    many = [
        {"description": f"Big {n}", "quantity": "1", "unit_price": "600000000000"} for n in range(2)
    ]
    for lines in (huge, many):
        with pytest.raises(ValidationError) as error:
            services.create_quote(
                by=salesperson, opportunity_id=deal.pk, valid_until="2099-01-01", lines=lines
            )
        assert "lines" in error.value.error_dict
    assert not Quote.objects.exists()
