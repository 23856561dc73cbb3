"""Approval rules on the total, the effective discount across lines and the margin; a rule
that requires a manager wins over one that approves, and the quote names the rule."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_fsm_log.models import StateLog

from quotes import services
from quotes.models import ApprovalRule
from tests.factories import ApprovalRuleFactory, ProductFactory

pytestmark = pytest.mark.django_db
D = Decimal


def quote_of(user, opportunity, *, discount="0", cost="60.00"):
    product = ProductFactory(list_price=D("100.00"), cost_price=D(cost) if cost else None)
    return services.create_quote(
        by=user,
        opportunity_id=opportunity.pk,
        valid_until="2099-01-01",
        lines=[{"product": product.pk, "quantity": D("1"), "discount_percent": D(discount)}],
    )


@pytest.fixture
def rules():
    ApprovalRuleFactory(
        name="Low discount, good margin",
        max_total=None,
        max_discount_percent=D("10"),
        min_margin_percent=D("25"),
    )
    ApprovalRuleFactory(
        name="Thin margin",
        action=ApprovalRule.Action.REQUIRE_MANAGER,
        max_total=None,
        max_discount_percent=None,
        max_margin_percent=D("15"),
    )


def test_a_quote_with_low_discount_and_good_margin_is_approved_by_the_rule(
    rules, salesperson, opportunity
):
    quote = quote_of(salesperson, opportunity, discount="5")  # margin 36.84 %
    quote = services.submit_quote(quote_id=quote.pk, by=salesperson)
    assert (quote.status, quote.auto_approved_by_rule) == ("approved", "Low discount, good margin")


def test_a_quote_below_the_margin_floor_needs_a_manager_and_names_the_rule(
    rules, salesperson, opportunity
):
    # A rule approving everything up to a huge total would approve it, but the floor wins.
    ApprovalRuleFactory(name="Everything", max_total=D("1000000"), max_discount_percent=None)
    quote = quote_of(salesperson, opportunity, cost="90.00")  # margin 10 %
    quote = services.submit_quote(quote_id=quote.pk, by=salesperson)
    assert (quote.status, quote.required_by_rule) == ("pending_approval", "Thin margin")
    assert quote.auto_approved_by_rule == ""
    log = StateLog.objects.for_(quote).latest("timestamp")
    assert "Thin margin" in log.description


def test_a_quote_with_too_much_discount_waits(rules, salesperson, opportunity):
    quote = quote_of(salesperson, opportunity, discount="12")
    quote = services.submit_quote(quote_id=quote.pk, by=salesperson)
    assert (quote.status, quote.required_by_rule, quote.auto_approved_by_rule) == (
        "pending_approval",
        "",
        "",
    )


def test_a_margin_rule_never_approves_a_quote_without_costs(rules, salesperson, opportunity):
    quote = quote_of(salesperson, opportunity, cost=None)
    quote = services.submit_quote(quote_id=quote.pk, by=salesperson)
    assert quote.status == "pending_approval"


def test_revising_forgets_the_rule_that_required_a_manager(
    rules, salesperson, manager, opportunity
):
    quote = quote_of(salesperson, opportunity, cost="95.00")
    services.submit_quote(quote_id=quote.pk, by=salesperson)
    services.reject_quote(quote_id=quote.pk, by=manager, reason="Margin too thin")
    quote = services.revise_quote(quote_id=quote.pk, by=salesperson)
    assert quote.required_by_rule == ""


def test_a_rule_without_any_limit_is_refused():
    with pytest.raises(ValidationError):
        ApprovalRule(name="All", max_total=None, max_discount_percent=None).full_clean()
