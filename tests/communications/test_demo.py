from datetime import timedelta

from django.utils import timezone

from communications.follow_ups import follow_ups_for
from communications.models import Communication
from demo.loading import load_demo


def test_demo_gives_alice_and_bob_every_kind_of_follow_up_and_loads_once(db):
    users = load_demo(size=14)["users"]
    count = Communication.objects.count()
    assert count >= 14 * 2
    snapshot = set(Communication.objects.values_list("customer_id", "subject", "occurred_at"))
    for name in ("alice", "bob"):
        follow_ups = follow_ups_for(users[name])
        assert follow_ups.overdue and follow_ups.due_today and follow_ups.upcoming, name
        assert all(c.author == users[name] for c in follow_ups.overdue)
    assert not Communication.objects.filter(occurred_at__gt=timezone.now()).exists()
    # Loading again adds nothing.
    load_demo(size=14)
    assert Communication.objects.count() == count
    assert set(Communication.objects.values_list("customer_id", "subject", "occurred_at")) == (
        snapshot
    )


def test_demo_communications_of_a_deal_belong_to_its_customer(db):
    load_demo(size=10)
    linked = Communication.objects.filter(opportunity__isnull=False).select_related("opportunity")
    assert all(c.opportunity.customer_id == c.customer_id for c in linked)
    assert Communication.objects.filter(follow_up_done=True).exists()
    assert not Communication.objects.filter(
        follow_up_done=True, follow_up_on__gt=timezone.localdate() + timedelta(days=200)
    ).exists()
