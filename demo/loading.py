"""Loading the demo data: realistic, deterministic, and safe to load twice.

Customers are generated from a fixed seed, so the same size always yields the same names;
loading again adds only what is missing. Each later part adds its records in its module.
"""

from django.db import transaction

from customers import shared_keys
from customers.models import Contact, Customer, Tag
from demo.catalogue import demo_catalogue
from demo.people import DEMO_PASSWORD, DEMO_USERS, TAGS, demo_customers, ensure_demo_users
from demo.pipeline import demo_communications, demo_opportunities
from demo.sales import demo_quotes_and_orders
from notifications.services import muted

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "load_demo"]


@transaction.atomic
def load_demo(size: int = 60) -> dict:
    """Create the demo users and the first ``size`` demo customers that do not exist yet,
    with their deals and communications, and quotes and orders for each salesperson who has
    none yet. It tells nobody: the demo's past sends no notification e-mails."""
    with muted():
        return _load(size)


def _load(size: int) -> dict:
    users = ensure_demo_users()
    tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
    salespeople = [user for name, user in users.items() if name != "manager"]
    wanted = demo_customers(size, salespeople)
    existing = set(Customer.objects.filter(owner__in=salespeople).values_list("name", flat=True))
    missing = [
        (customer, contacts) for customer, contacts in wanted if customer.name not in existing
    ]
    Customer.objects.bulk_create([customer for customer, _ in missing], batch_size=1000)
    shared_keys.refresh(shared_keys.keys_of(customer for customer, _ in missing))
    for customer, contacts in missing:
        for contact in contacts:
            contact.customer = customer
    Contact.objects.bulk_create([c for _, contacts in missing for c in contacts], batch_size=1000)
    Through = Customer.tags.through
    Through.objects.bulk_create(
        [
            Through(customer_id=customer.pk, tag_id=tags[customer.pk % len(tags)].pk)
            for customer, _ in missing
            if customer.pk % 3 == 0
        ],
        batch_size=1000,
    )
    demo_opportunities(Customer.objects.filter(owner__in=salespeople).order_by("pk"))
    demo_communications(Customer.objects.filter(owner__in=salespeople).order_by("pk"))
    demo_catalogue()
    demo_quotes_and_orders(salespeople, manager=users["manager"])
    return {"users": users, "created": len(missing), "total": len(wanted)}
