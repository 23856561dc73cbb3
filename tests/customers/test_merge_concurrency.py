"""Two people merging the same customers at once: the row locks let one merge win, the other
is refused with a message, and the committed data holds (on PostgreSQL the records' copy of
the owner is checked by its foreign key at commit). Each call runs in its own thread and
connection, all released at once (`run_together`)."""

import pytest

from customers.merge import merge_customers
from customers.models import Customer, CustomerMerge
from opportunities.models import Opportunity
from tests.factories import CustomerFactory, ManagerFactory, OpportunityFactory, SalespersonFactory
from tests.quotes.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_managers_merging_a_pair_each_way_at_once_leave_one_merge():
    first, second = SalespersonFactory(), SalespersonFactory()
    a, b = CustomerFactory(owner=first), CustomerFactory(owner=second)
    OpportunityFactory(customer=a)
    OpportunityFactory(customer=b)
    one, other = ManagerFactory(), ManagerFactory()

    results = run_together(
        {
            "a keeps": lambda: merge_customers(survivor_id=a.pk, other_id=b.pk, by=one),
            "b keeps": lambda: merge_customers(survivor_id=b.pk, other_id=a.pk, by=other),
        },
    )

    assert sorted(outcome for outcome, _ in results.values()) == ["ok", "refused"], results
    record = CustomerMerge.objects.get()
    survivor = record.survivor
    assert Customer.objects.filter(merged_into__isnull=False).get() == record.merged
    assert set(Opportunity.objects.values_list("customer", "customer_owner")) == {
        (survivor.pk, survivor.owner_id)
    }


def test_the_same_merge_asked_twice_at_once_is_done_once():
    owner = SalespersonFactory()
    survivor, other = CustomerFactory(owner=owner), CustomerFactory(owner=owner)

    results = run_together(
        {
            n: lambda: merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=owner)
            for n in range(3)
        },
    )

    assert sorted(outcome for outcome, _ in results.values()) == ["ok", "refused", "refused"]
    assert CustomerMerge.objects.count() == 1
