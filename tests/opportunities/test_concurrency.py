import threading
import time
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_fsm_log.models import StateLog

from opportunities.models import Opportunity
from opportunities.services import change_stage
from tests.factories import CustomerFactory, ManagerFactory, OpportunityFactory, SalespersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(deal, moves):
    """Start every move while the deal's row is locked, then release it: all of them
    contend for the same row at the same moment."""
    results = {}

    def attempt(label, user, to):
        try:
            change_stage(opportunity_id=deal.pk, by=user, to=to, note=label)
            results[label] = "ok"
        except ValidationError:
            results[label] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=move) for move in moves]
    with transaction.atomic():
        Opportunity.objects.select_for_update().get(pk=deal.pk)
        for thread in threads:
            thread.start()
        time.sleep(0.5)  # let every thread reach the lock
    for thread in threads:
        thread.join(timeout=10)
    return results


def test_two_people_winning_the_same_deal_at_once_win_it_once():
    owner, manager = SalespersonFactory(), ManagerFactory()
    deal = OpportunityFactory(customer=CustomerFactory(owner=owner), stage="negotiation")
    results = run_at_once(deal, [("owner", owner, "won"), ("manager", manager, "won")])
    assert sorted(results.values()) == ["ok", "refused"]
    log = StateLog.objects.for_(deal)
    assert list(log.values_list("source_state", "state")) == [("negotiation", "won")]


def test_concurrent_moves_leave_one_consistent_history():
    owner, manager = SalespersonFactory(), ManagerFactory()
    deal = OpportunityFactory(customer=CustomerFactory(owner=owner), stage="qualified")
    results = run_at_once(
        deal, [("a", owner, "proposal"), ("b", manager, "negotiation"), ("c", owner, "won")]
    )
    assert "ok" in results.values()
    steps = list(
        StateLog.objects.for_(deal).order_by("timestamp", "id").values_list("source_state", "state")
    )
    # Every recorded step starts where the previous one ended, and the deal ends where the
    # last step says.
    assert steps[0][0] == "qualified"
    for (_, previous_target), (source, _) in pairwise(steps):
        assert source == previous_target
    deal.refresh_from_db()
    assert deal.stage == steps[-1][1]
    assert len(steps) == list(results.values()).count("ok")
