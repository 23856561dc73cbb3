"""The service functions hold the rules, whoever calls them (views, admin, the API)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from customers import services
from customers.models import Contact, Customer
from tests.factories import ContactFactory, CustomerFactory, TagFactory, UserFactory


def test_salesperson_cannot_reassign_customers(salesperson, teammate, customer):
    with pytest.raises(PermissionDenied):
        services.reassign_customers(customer_ids=[customer.pk], new_owner=teammate, by=salesperson)

    customer.refresh_from_db()
    assert customer.owner == salesperson


def test_manager_reassigns_customers_and_learns_how_many_moved(
    manager, salesperson, teammate, customer
):
    already_there = CustomerFactory(owner=teammate)

    moved = services.reassign_customers(
        customer_ids=[customer.pk, already_there.pk], new_owner=teammate, by=manager
    )

    assert moved == 1
    customer.refresh_from_db()
    assert customer.owner == teammate


def test_customers_cannot_go_to_an_inactive_user(manager, salesperson, customer):
    leaver = UserFactory(is_active=False)

    with pytest.raises(ValidationError):
        services.reassign_customers(customer_ids=[customer.pk], new_owner=leaver, by=manager)

    customer.refresh_from_db()
    assert customer.owner == salesperson


def test_update_of_a_foreign_customer_is_not_found_and_changes_nothing(
    salesperson, foreign_customer
):
    with pytest.raises(Customer.DoesNotExist):
        services.update_customer(customer_id=foreign_customer.pk, by=salesperson, name="Mine now")

    foreign_customer.refresh_from_db()
    assert foreign_customer.name != "Mine now"


def test_create_customer_refuses_an_unknown_field(salesperson):
    with pytest.raises(ValidationError):
        services.create_customer(by=salesperson, name="Acme", owner_id=1)

    assert not Customer.objects.exists()


def test_create_customer_validates_like_the_form(salesperson):
    with pytest.raises(ValidationError) as caught:
        services.create_customer(by=salesperson, name="Acme", email="nope", status="won")

    assert {"email", "status"} <= set(caught.value.message_dict)
    assert not Customer.objects.exists()


def test_salesperson_cannot_create_a_customer_for_someone_else(salesperson, teammate):
    with pytest.raises(PermissionDenied):
        services.create_customer(by=salesperson, owner=teammate, name="Gift")

    assert not Customer.objects.exists()


def test_manager_creates_a_customer_for_a_salesperson(manager, salesperson):
    vip = TagFactory(name="VIP")

    customer = services.create_customer(by=manager, owner=salesperson, name="Assigned", tags=[vip])

    assert customer.owner == salesperson
    assert list(customer.tags.all()) == [vip]


def test_update_customer_cannot_change_owner_or_archive_state(salesperson, teammate, customer):
    with pytest.raises(ValidationError):
        services.update_customer(customer_id=customer.pk, by=salesperson, owner=teammate)
    with pytest.raises(ValidationError):
        services.update_customer(customer_id=customer.pk, by=salesperson, archived_at=None)

    customer.refresh_from_db()
    assert customer.owner == salesperson


def test_update_customer_keeps_normalised_phone_in_step(salesperson, customer):
    services.update_customer(customer_id=customer.pk, by=salesperson, phone="+86 (21) 5555-0101")

    customer.refresh_from_db()
    assert customer.phone_normalized == "862155550101"


def test_salesperson_cannot_archive_a_foreign_customer(salesperson, foreign_customer):
    with pytest.raises(Customer.DoesNotExist):
        services.archive_customer(customer_id=foreign_customer.pk, by=salesperson)

    foreign_customer.refresh_from_db()
    assert foreign_customer.archived_at is None


def test_salesperson_cannot_add_a_contact_to_a_foreign_customer(salesperson, foreign_customer):
    with pytest.raises(Customer.DoesNotExist):
        services.add_contact(customer_id=foreign_customer.pk, by=salesperson, name="Mole")

    assert not Contact.objects.exists()


def test_salesperson_cannot_remove_a_foreign_contact(salesperson, foreign_customer):
    contact = ContactFactory(customer=foreign_customer)

    with pytest.raises(Contact.DoesNotExist):
        services.remove_contact(contact_id=contact.pk, by=salesperson)

    assert Contact.objects.filter(pk=contact.pk).exists()


def test_add_contact_refuses_an_unknown_field(salesperson, customer):
    with pytest.raises(ValidationError):
        services.add_contact(customer_id=customer.pk, by=salesperson, name="X", customer_id_=1)

    assert not Contact.objects.exists()


def test_find_duplicates_counts_but_hides_a_teammates_customer(salesperson, teammate):
    CustomerFactory(owner=teammate, email="same@example.com")

    duplicates = services.find_duplicates(email="SAME@example.com", phone="", by=salesperson)

    assert duplicates
    assert duplicates.visible == []
    assert duplicates.hidden_count == 1
