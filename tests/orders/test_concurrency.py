import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django_fsm_log.models import StateLog

from orders import services
from orders.models import Order
from quotes.models import Quote
from tests.factories import CustomerFactory, ManagerFactory, SalespersonFactory
from tests.orders.conftest import approved_quote

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(model, pk, attempts):
    """Start every attempt while the record's row is locked, then release it: all of them
    contend for the same row at the same moment. Returns each attempt's outcome."""
    results = {}

    def attempt(label, call):
        try:
            call()
            results[label] = "ok"
        except ValidationError:
            results[label] = "refused"
        except PermissionDenied:
            results[label] = "denied"
        except Exception as error:
            results[label] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=item) for item in attempts]
    with transaction.atomic():
        model.objects.select_for_update().get(pk=pk)
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # let every thread reach the lock
    for thread in threads:
        thread.join(timeout=10)
    return results


def test_two_people_ordering_the_same_quote_at_once_make_one_order():
    owner, manager = SalespersonFactory(), ManagerFactory()
    quote = approved_quote(CustomerFactory(owner=owner), ManagerFactory())
    results = run_at_once(
        Quote,
        quote.pk,
        [
            ("owner", lambda: services.create_order(by=owner, quote_id=quote.pk)),
            ("manager", lambda: services.create_order(by=manager, quote_id=quote.pk)),
        ],
    )
    assert sorted(results.values()) == ["ok", "refused"]
    order = Order.objects.get(quote=quote)
    assert order.lines.count() == quote.lines.count()
    assert list(StateLog.objects.for_(quote).filter(state="accepted").values_list("state")) == [
        ("accepted",)
    ]


def test_eight_simultaneous_orders_from_one_quote_make_exactly_one():
    owner = SalespersonFactory()
    managers = ManagerFactory.create_batch(7)
    quote = approved_quote(CustomerFactory(owner=owner), ManagerFactory())
    people = [owner, *managers]
    results = run_at_once(
        Quote,
        quote.pk,
        [
            (f"p{i}", lambda user=user: services.create_order(by=user, quote_id=quote.pk))
            for i, user in enumerate(people)
        ],
    )
    assert sorted(results.values()) == ["ok"] + ["refused"] * 7
    assert Order.objects.filter(quote=quote).count() == 1


def test_two_managers_approving_one_order_at_once_approve_it_once():
    owner = SalespersonFactory()
    first, second = ManagerFactory(), ManagerFactory()
    quote = approved_quote(CustomerFactory(owner=owner), ManagerFactory())
    order = services.create_order(by=owner, quote_id=quote.pk, status="pending_approval")
    results = run_at_once(
        Order,
        order.pk,
        [
            ("first", lambda: services.approve_order(order_id=order.pk, by=first)),
            ("second", lambda: services.approve_order(order_id=order.pk, by=second)),
        ],
    )
    # The late one is told the order is no longer waiting, not that they are no manager.
    assert sorted(results.values()) == ["ok", "refused"]
    assert StateLog.objects.for_(order).filter(state="confirmed").count() == 1
    order.refresh_from_db()
    assert order.status == "confirmed"
