"""Factories for every test: users of both roles and every record of the product."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from communications.models import Communication
from crm.roles import SALES, SALES_MANAGERS
from customers.models import Contact, Customer, Tag
from customers.querysets import normalize_phone
from opportunities.models import Opportunity
from opportunities.stages import STAGE_PROBABILITY
from orders.models import Order
from products.models import Product
from quotes.models import ApprovalRule, Quote, QuoteLine
from webhooks.events import EventType
from webhooks.models import Delivery, Endpoint, Event


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("secret-pass-123")


class SalespersonFactory(UserFactory):
    username = factory.Sequence(lambda n: f"sales{n}")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=SALES))


class ManagerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"manager{n}")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=SALES_MANAGERS))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n:04d}")
    kind = Customer.Kind.COMPANY
    status = Customer.Status.LEAD
    industry = Customer.Industry.TECHNOLOGY
    source = Customer.Source.WEBSITE
    owner = factory.SubFactory(SalespersonFactory)
    phone = factory.Sequence(lambda n: f"+86 138 {n:04d} {n:04d}")
    phone_normalized = factory.LazyAttribute(lambda c: normalize_phone(c.phone))
    email = factory.Sequence(lambda n: f"customer{n}@example.com")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Faker("name")
    title = "Purchasing manager"
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    phone = factory.Sequence(lambda n: f"+86 139 {n:04d} {n:04d}")


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A deal of a customer, owned by the customer's owner. Pass ``stage=`` to start there
    (the stage is protected, so the factory sets it at construction only)."""

    class Meta:
        model = Opportunity

    customer = factory.SubFactory(CustomerFactory)
    owner = factory.LazyAttribute(lambda o: o.customer.owner)
    name = factory.Sequence(lambda n: f"Deal {n:04d}")
    amount = Decimal("10000.00")
    stage = "prospecting"
    probability = factory.LazyAttribute(lambda o: STAGE_PROBABILITY[o.stage])


class CommunicationFactory(factory.django.DjangoModelFactory):
    """A call logged by the customer's owner; pass ``opportunity=`` (its customer follows)
    and ``follow_up_on=`` for a to-do."""

    class Meta:
        model = Communication

    customer = factory.LazyAttribute(
        lambda c: c.opportunity.customer if c.opportunity else CustomerFactory()
    )
    opportunity = None
    author = factory.LazyAttribute(lambda c: c.customer.owner)
    channel = Communication.Channel.PHONE
    direction = Communication.Direction.OUTBOUND
    subject = factory.Sequence(lambda n: f"Call {n:04d}")
    content = "Talked about the next order."
    occurred_at = factory.LazyFunction(timezone.now)


def customer_form_data(**overrides) -> dict:
    """A complete, valid POST for the customer form; override what the test is about."""
    data = {
        "name": "Acme Trading Ltd",
        "kind": Customer.Kind.COMPANY,
        "status": Customer.Status.LEAD,
        "industry": Customer.Industry.RETAIL,
        "source": Customer.Source.REFERRAL,
        "rating": "",
        "phone": "",
        "email": "",
        "website": "",
        "address": "",
        "needs": "",
        "notes": "",
    }
    data.update(overrides)
    return data


class QuoteFactory(factory.django.DjangoModelFactory):
    """A draft quote of an opportunity, created by the customer's owner, with no lines;
    use `quote_with_lines` for a priced one, or the services to move it along."""

    class Meta:
        model = Quote

    opportunity = factory.SubFactory(OpportunityFactory)
    customer = factory.LazyAttribute(lambda q: q.opportunity.customer)
    created_by = factory.LazyAttribute(lambda q: q.opportunity.customer.owner)
    number = factory.Sequence(lambda n: f"Q-TEST-{n:05d}")
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


def quote_with_lines(*, lines=((1, "1000.00", "0"),), **kwargs) -> Quote:
    """A draft quote whose lines are (quantity, unit price, discount %) and whose totals
    match them, as the services would keep them."""
    quote = QuoteFactory(**kwargs)
    subtotal = total = Decimal("0.00")
    for position, (quantity, unit_price, discount) in enumerate(lines, start=1):
        line = QuoteLine(
            quote=quote,
            position=position,
            description=f"Item {position}",
            quantity=Decimal(str(quantity)),
            unit_price=Decimal(unit_price),
            discount_percent=Decimal(discount),
        )
        line.compute_total()
        line.save()
        subtotal += line.list_amount
        total += line.line_total
    Quote.objects.filter(pk=quote.pk).update(
        subtotal=subtotal, net_total=total, total=total, discount_total=subtotal - total
    )
    quote.refresh_from_db()
    return quote


class ProductFactory(factory.django.DjangoModelFactory):
    """An active catalogue product at 100.00 (cost 60.00) with 13 % tax."""

    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    unit = "pcs"
    list_price = Decimal("100.00")
    cost_price = Decimal("60.00")
    tax_rate = Decimal("13.00")
    category = "Hardware"


class ApprovalRuleFactory(factory.django.DjangoModelFactory):
    """An active automatic-approval rule: quotes up to 5,000.00 with at most 10 % discount."""

    class Meta:
        model = ApprovalRule

    name = factory.Sequence(lambda n: f"Small deals {n}")
    max_total = Decimal("5000.00")
    max_discount_percent = Decimal("10.00")


class OrderFactory(factory.django.DjangoModelFactory):
    """An order of an accepted quote (no lines), made by the customer's owner; for a real
    one with copied lines use `orders.services.create_order`."""

    class Meta:
        model = Order

    quote = factory.SubFactory(QuoteFactory, status="accepted")
    customer = factory.LazyAttribute(lambda o: o.quote.customer)
    created_by = factory.LazyAttribute(lambda o: o.quote.customer.owner)
    number = factory.Sequence(lambda n: f"SO-TEST-{n:05d}")
    total = Decimal("1000.00")


class EndpointFactory(factory.django.DjangoModelFactory):
    """An active endpoint listening to every event (on a public address: saving through
    the admin form or full_clean would resolve it)."""

    class Meta:
        model = Endpoint

    url = factory.Sequence(lambda n: f"https://hooks{n}.example.com/crm")
    events = factory.LazyFunction(lambda: list(EventType.values))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    type = EventType.CUSTOMER_CREATED
    occurred_at = factory.LazyFunction(timezone.now)
    model = "customers.customer"
    object_id = factory.Sequence(str)
    payload = factory.LazyAttribute(lambda e: {"id": int(e.object_id), "name": "Acme"})


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A delivery due now, with the whole retry window ahead."""

    class Meta:
        model = Delivery

    event = factory.SubFactory(EventFactory)
    endpoint = factory.SubFactory(EndpointFactory)
    next_attempt_at = factory.LazyFunction(timezone.now)
    retry_until = factory.LazyAttribute(
        lambda d: d.next_attempt_at + timedelta(seconds=settings.CRM_WEBHOOKS_RETRY_WINDOW_SECONDS)
    )
