"""Merging a duplicate into the customer kept (customers.merge.merge_customers)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communications.models import Communication
from customers.merge import merge_customers
from customers.models import Contact, Customer, CustomerMerge
from opportunities.models import Opportunity
from orders.models import Order
from quotes import services as quote_services
from quotes.models import Quote
from tests.factories import (
    CommunicationFactory,
    ContactFactory,
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    OrderFactory,
    TagFactory,
    quote_with_lines,
)


def test_every_kind_of_record_moves_to_the_survivor(salesperson, pair):
    survivor, other = pair
    contact = ContactFactory(customer=other)
    deal = OpportunityFactory(customer=other)
    call = CommunicationFactory(opportunity=deal)
    quote = quote_with_lines(opportunity=deal)
    order = OrderFactory(quote=quote_with_lines(opportunity=deal, status="accepted"))

    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)

    assert Contact.objects.get(pk=contact.pk).customer_id == survivor.pk
    for model, pk in [
        (Opportunity, deal.pk),
        (Communication, call.pk),
        (Quote, quote.pk),
        (Order, order.pk),
    ]:
        assert model.objects.filter(pk=pk, customer=survivor).exists(), model
    assert not other.opportunities.exists()


def test_a_quote_and_an_order_waiting_for_approval_stay_waiting_and_can_be_approved(
    salesperson, pair
):
    survivor, other = pair
    quote = quote_with_lines(opportunity=OpportunityFactory(customer=other))
    quote_services.submit_quote(quote_id=quote.pk, by=salesperson)
    order = OrderFactory(
        quote=quote_with_lines(opportunity=OpportunityFactory(customer=other), status="accepted"),
        status="pending_approval",
        submitted_by=salesperson,
    )

    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)

    quote.refresh_from_db()
    order.refresh_from_db()
    assert (quote.status, quote.submitted_by, quote.customer) == (
        "pending_approval",
        salesperson,
        survivor,
    )
    assert (order.status, order.submitted_by, order.customer) == (
        "pending_approval",
        salesperson,
        survivor,
    )
    # The manager who would have approved it still can.
    approved = quote_services.approve_quote(quote_id=quote.pk, by=ManagerFactory())
    assert approved.status == "approved"


def test_manager_merging_two_owners_customers_moves_the_records_copy_of_the_owner(
    manager, salesperson, teammate, customer, foreign_customer
):
    deal = OpportunityFactory(customer=foreign_customer)
    call = CommunicationFactory(customer=foreign_customer)

    merge_customers(survivor_id=customer.pk, other_id=foreign_customer.pk, by=manager)

    deal.refresh_from_db()
    call.refresh_from_db()
    assert (deal.customer_id, deal.customer_owner) == (customer.pk, salesperson)
    assert (call.customer_id, call.customer_owner) == (customer.pk, salesperson)


def test_manager_may_keep_the_other_customers_owner_and_every_record_follows(
    manager, salesperson, teammate, customer, foreign_customer
):
    own_deal = OpportunityFactory(customer=customer)
    moved_deal = OpportunityFactory(customer=foreign_customer)

    survivor = merge_customers(
        survivor_id=customer.pk, other_id=foreign_customer.pk, by=manager, keep={"owner": "other"}
    )

    assert survivor.owner == teammate
    assert set(Opportunity.objects.values_list("pk", "customer_owner")) == {
        (own_deal.pk, teammate.pk),
        (moved_deal.pk, teammate.pk),
    }
    assert CustomerMerge.objects.get().changes["owner"] == [
        salesperson.username,
        teammate.username,
    ]


def test_chosen_values_are_kept_and_empty_ones_filled_from_the_other(salesperson, pair):
    survivor, other = pair

    merged = merge_customers(
        survivor_id=survivor.pk, other_id=other.pk, by=salesperson, keep={"name": "other"}
    )

    merged.refresh_from_db()
    assert merged.name == "ACME Limited"  # chosen
    assert merged.email == "sales@acme.com"  # the survivor's, by default
    assert (merged.phone, merged.phone_normalized) == ("+86 21 5555 0101", "862155550101")
    assert merged.rating == "B"  # the survivor had none
    assert merged.name_key == "acme limited"


def test_an_explicit_choice_of_the_survivors_empty_value_is_respected(salesperson, pair):
    survivor, other = pair

    merged = merge_customers(
        survivor_id=survivor.pk, other_id=other.pk, by=salesperson, keep={"rating": "survivor"}
    )

    assert merged.rating == ""


def test_tags_unite(salesperson, pair):
    survivor, other = pair
    survivor.tags.set([TagFactory(name="VIP")])
    other.tags.set([TagFactory(name="VIP"), TagFactory(name="Government")])

    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)

    assert sorted(survivor.tags.values_list("name", flat=True)) == ["Government", "VIP"]


def test_the_survivors_primary_contact_stays_the_only_primary(salesperson, pair):
    survivor, other = pair
    kept = ContactFactory(customer=survivor, is_primary=True)
    moved = ContactFactory(customer=other, is_primary=True)

    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)

    assert list(survivor.contacts.filter(is_primary=True)) == [kept]
    assert Contact.objects.get(pk=moved.pk).customer == survivor


def test_the_other_is_archived_with_a_link_and_the_merge_is_recorded(salesperson, pair):
    survivor, other = pair
    OpportunityFactory.create_batch(2, customer=other)
    ContactFactory(customer=other)

    merge_customers(
        survivor_id=survivor.pk, other_id=other.pk, by=salesperson, keep={"phone": "other"}
    )

    other.refresh_from_db()
    assert other.is_archived
    assert other.merged_into == survivor
    record = CustomerMerge.objects.get()
    assert (record.survivor, record.merged, record.merged_name, record.by) == (
        survivor,
        other,
        "ACME Limited",
        salesperson,
    )
    assert record.changes == {
        "phone": ["", "+86 21 5555 0101"],
        "rating": ["", "B"],
    }
    assert record.moved == {"customers.contact": 1, "opportunities.opportunity": 2}
    assert record.moved_counts() == [("contact", 1), ("opportunities", 2)]


def test_salesperson_cannot_merge_a_teammates_customer_and_learns_nothing(
    salesperson, customer, foreign_customer
):
    deal = OpportunityFactory(customer=foreign_customer)
    for survivor, other in [(customer, foreign_customer), (foreign_customer, customer)]:
        with pytest.raises(Customer.DoesNotExist) as refused:
            merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)
        assert foreign_customer.name not in str(refused.value)

    foreign_customer.refresh_from_db()
    assert foreign_customer.merged_into is None
    assert not foreign_customer.is_archived
    assert Opportunity.objects.get(pk=deal.pk).customer == foreign_customer
    assert not CustomerMerge.objects.exists()


@pytest.mark.parametrize(
    "keep",
    [{"owner_id": "other"}, {"phone": "theirs"}, {"archived_at": "other"}],
)
def test_bad_choices_are_refused_and_change_nothing(salesperson, pair, keep):
    survivor, other = pair

    with pytest.raises(ValidationError):
        merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson, keep=keep)

    other.refresh_from_db()
    assert other.merged_into is None


def test_a_customer_cannot_be_merged_with_itself(salesperson, customer):
    with pytest.raises(ValidationError):
        merge_customers(survivor_id=customer.pk, other_id=customer.pk, by=salesperson)


def test_a_merged_customer_cannot_be_merged_again(salesperson, pair):
    survivor, other = pair
    third = CustomerFactory(owner=salesperson)
    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)

    for survivor_id, other_id in [(third.pk, other.pk), (other.pk, third.pk)]:
        with pytest.raises(ValidationError, match="already been merged"):
            merge_customers(survivor_id=survivor_id, other_id=other_id, by=salesperson)

    assert CustomerMerge.objects.count() == 1


def test_an_archived_customer_cannot_be_the_survivor(salesperson, pair):
    survivor, other = pair
    Customer.objects.filter(pk=survivor.pk).update(archived_at=timezone.now())

    with pytest.raises(ValidationError, match="archived"):
        merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)


def test_an_archived_duplicate_can_be_merged_and_keeps_its_archive_date(salesperson, pair):
    survivor, other = pair
    archived_at = timezone.now() - timezone.timedelta(days=3)
    Customer.objects.filter(pk=other.pk).update(archived_at=archived_at)

    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)

    other.refresh_from_db()
    assert (other.archived_at, other.merged_into) == (archived_at, survivor)
