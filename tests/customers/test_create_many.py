"""create_customers: many customers at once, each held to create_customer's rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customers.models import Contact, Customer, Tag
from customers.services import create_customers

pytestmark = pytest.mark.django_db


def rows(n, **extra):
    return [{"name": f"Customer {i}", "email": f"c{i}@example.test", **extra} for i in range(n)]


def test_valid_rows_are_stored_with_contact_and_tags_and_refused_ones_are_not(
    salesperson, teammate
):
    vip = Tag.objects.create(name="VIP")
    results = create_customers(
        by=salesperson,
        rows=[
            {"name": "Acme", "phone": "021 555", "tags": [vip], "contact": {"name": "Li Lei"}},
            {"name": "Bad mail", "email": "nope"},
            {"name": "Not mine", "owner": teammate},
            {"name": "", "email": "x@example.test"},
        ],
    )

    acme, bad, not_mine, nameless = results
    assert isinstance(acme, Customer) and acme.pk and acme.owner == salesperson
    assert acme.phone_normalized == "021555" and acme.name_key == "acme"
    assert list(acme.tags.all()) == [vip]
    assert Contact.objects.get(customer=acme) == acme.new_contact and acme.new_contact.is_primary
    assert isinstance(bad, ValidationError) and "email" in bad.message_dict
    assert isinstance(not_mine, PermissionDenied)
    assert isinstance(nameless, ValidationError)
    assert list(Customer.objects.values_list("name", flat=True)) == ["Acme"]


def test_the_statements_do_not_grow_with_the_rows(salesperson, manager):
    create_customers(by=manager, rows=rows(1, owner=salesperson))  # the role, read once
    with CaptureQueriesContext(connection) as few:
        create_customers(by=manager, rows=rows(5, owner=salesperson, contact={"name": "A"}))
    Customer.objects.all().delete()
    with CaptureQueriesContext(connection) as many:
        create_customers(by=manager, rows=rows(60, owner=salesperson, contact={"name": "A"}))
    assert len(many) == len(few)
    assert Customer.objects.filter(owner=salesperson).count() == 60
