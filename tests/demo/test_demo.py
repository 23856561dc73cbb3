"""Demo data: the same realistic customers, quotes and orders every time, safe to load again."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django_fsm_log.models import StateLog

from crm.roles import SALES, SALES_MANAGERS
from customers.models import Customer
from demo.loading import DEMO_USERS
from notifications.models import Notification
from orders.models import Order
from quotes import services as quote_services
from quotes.models import ApprovalRule, Quote

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {spec.username for spec in DEMO_USERS}


def demo_customers():
    return Customer.objects.filter(owner__username__in=DEMO_USERNAMES)


def load(size):
    call_command("load_demo", size=size, stdout=io.StringIO())


def test_loading_twice_leaves_exactly_the_requested_customers_and_four_users():
    load(15)
    load(15)

    assert demo_customers().count() == 15
    assert get_user_model().objects.filter(username__in=DEMO_USERNAMES).count() == 4


def test_demo_has_one_staff_manager_and_salespeople_in_sales():
    load(15)

    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    managers = [u for u in users if u.groups.filter(name=SALES_MANAGERS).exists()]
    salespeople = [u for u in users if u.groups.filter(name=SALES).exists()]
    assert len(managers) == 1
    assert managers[0].is_staff
    assert len(salespeople) == 3
    assert not any(u.is_staff for u in salespeople)


def test_demo_customers_are_spread_over_several_salespeople():
    load(15)

    owners = set(demo_customers().values_list("owner__username", flat=True))
    assert len(owners) >= 2
    assert "manager" not in owners


def test_demo_names_mix_chinese_and_latin_script():
    load(15)

    names = list(demo_customers().values_list("name", flat=True))
    assert any(name.isascii() for name in names)
    assert any(not name.isascii() for name in names)


def test_demo_customers_have_normalised_phones_for_duplicate_checks():
    load(15)

    assert not demo_customers().filter(phone_normalized="").exclude(phone="").exists()


def test_every_demo_company_has_a_contact_a_quote_can_be_emailed_to():
    load(15)

    companies = demo_customers().filter(kind="company")
    assert companies.exists()
    assert not companies.exclude(contacts__email__contains="@").exists()


def test_larger_size_adds_only_the_missing_customers():
    load(15)
    first_ids = set(demo_customers().values_list("pk", flat=True))

    load(20)

    assert demo_customers().count() == 20
    assert first_ids <= set(demo_customers().values_list("pk", flat=True))


def test_demo_logins_work(client):
    load(1)

    assert client.login(username="alice", password="demo-pass-2026")


def test_negative_size_is_refused():
    with pytest.raises(CommandError):
        load(-1)


def test_demo_has_quotes_in_every_approval_state_and_orders_up_to_completion():
    load(60)

    quotes = Quote.objects.filter(customer__owner__username__in=DEMO_USERNAMES)
    orders = Order.objects.filter(customer__owner__username__in=DEMO_USERNAMES)
    assert {"draft", "pending_approval", "approved", "rejected", "sent", "accepted"} <= set(
        quotes.values_list("status", flat=True)
    )
    assert set(orders.values_list("status", flat=True)) == {
        "pending_approval",
        "confirmed",
        "fulfilled",
        "completed",
    }
    assert len(set(quotes.values_list("customer__owner", flat=True))) == 3


def test_demo_quotes_and_orders_were_made_through_the_workflow():
    load(60)

    manager = get_user_model().objects.get(username="manager")
    quotes = Quote.objects.filter(customer__owner__username__in=DEMO_USERNAMES)
    for quote in quotes:
        assert quote.created_by == quote.customer.owner
        assert quote.total == sum(line.line_total for line in quote.lines.all()) > 0
        assert quote.number.startswith("Q-")
    decided = quotes.exclude(status__in=["draft", "pending_approval"])
    for quote in decided:
        assert quote.decided_by == manager
        assert not quote.auto_approved_by_rule
        states = set(StateLog.objects.for_(quote).values_list("state", flat=True))
        assert {"pending_approval", quote.status} <= states
    assert all(quote.decision_reason for quote in quotes.filter(status="rejected"))
    for order in Order.objects.exclude(status="pending_approval"):
        assert order.decided_by == manager
        assert order.quote.opportunity.stage == "won"
        assert order.status in set(StateLog.objects.for_(order).values_list("state", flat=True))


def test_demo_creates_no_automatic_approval_rule():
    load(15)

    assert not ApprovalRule.objects.exists()


def test_loading_again_adds_no_quotes_or_orders():
    load(15)
    counts = (Quote.objects.count(), Order.objects.count(), StateLog.objects.count())

    load(20)

    assert counts[0] > 0
    assert (Quote.objects.count(), Order.objects.count(), StateLog.objects.count()) == counts


def test_demo_has_a_small_bilingual_catalogue_that_quotes_use():
    from products.models import Product
    from quotes.models import QuoteLine

    load(30)
    load(30)
    assert Product.objects.count() == 12
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in p.name) for p in Product.objects.all())
    assert QuoteLine.objects.filter(product__isnull=False).exists()
    assert Quote.objects.filter(tax_total__gt=0).exists()


def test_the_demo_past_sends_no_email_but_later_changes_do():
    """Loading replays submissions and decisions; nobody is told of them (``make run``'s
    mail folder starts empty). What people do afterwards is told as usual."""
    load(10)
    assert not Notification.objects.exists()
    quote = Quote.objects.filter(status="draft").select_related("created_by").first()
    quote_services.submit_quote(quote_id=quote.pk, by=quote.created_by)
    assert Notification.objects.filter(kind="quote.waiting_for_approval").exists()
