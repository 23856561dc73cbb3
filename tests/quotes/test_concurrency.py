import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_fsm_log.models import StateLog

from quotes import customer_answers, services
from quotes.models import Quote
from tests.factories import (
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    SalespersonFactory,
    quote_with_lines,
)

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(calls, *, lock_quote=None):
    """Run every call in its own thread (and database connection). With ``lock_quote``, the
    quote's row is held while the threads start, so all of them contend for it at once."""
    results, barrier = {}, threading.Barrier(len(calls))

    def attempt(label, call):
        try:
            barrier.wait(timeout=10)
            results[label] = ("ok", call())
        except (ValidationError, PermissionDenied) as error:
            results[label] = ("refused", error)
        except Exception as error:  # anything else is a failure the test reports
            results[label] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=item) for item in calls.items()]
    if lock_quote is not None:
        with transaction.atomic():
            Quote.objects.select_for_update().get(pk=lock_quote.pk)
            for thread in threads:
                thread.start()
            time.sleep(0.5)  # let every thread reach the lock
    else:
        for thread in threads:
            thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return results


def test_eight_managers_approving_the_same_quote_at_once_approve_it_once():
    owner = SalespersonFactory()
    quote = quote_with_lines(opportunity=OpportunityFactory(customer=CustomerFactory(owner=owner)))
    services.submit_quote(quote_id=quote.pk, by=owner)
    managers = ManagerFactory.create_batch(8)
    results = run_together(
        {
            manager.username: (lambda m=manager: services.approve_quote(quote_id=quote.pk, by=m))
            for manager in managers
        },
        lock_quote=quote,
    )
    outcomes = sorted(outcome for outcome, _ in results.values())
    assert outcomes == ["ok"] + ["refused"] * 7, results
    winner = next(label for label, (outcome, _) in results.items() if outcome == "ok")
    quote.refresh_from_db()
    assert (quote.status, quote.decided_by.username) == ("approved", winner)
    approvals = StateLog.objects.for_(quote).filter(state="approved")
    assert approvals.count() == 1
    assert approvals.get().by.username == winner


def test_approve_and_reject_at_once_leave_one_decision():
    owner = SalespersonFactory()
    quote = quote_with_lines(opportunity=OpportunityFactory(customer=CustomerFactory(owner=owner)))
    services.submit_quote(quote_id=quote.pk, by=owner)
    yes, no = ManagerFactory(), ManagerFactory()
    results = run_together(
        {
            "approve": lambda: services.approve_quote(quote_id=quote.pk, by=yes),
            "reject": lambda: services.reject_quote(quote_id=quote.pk, by=no, reason="No"),
        },
        lock_quote=quote,
    )
    assert sorted(outcome for outcome, _ in results.values()) == ["ok", "refused"]
    decisions = StateLog.objects.for_(quote).exclude(state="pending_approval")
    assert decisions.count() == 1
    quote.refresh_from_db()
    assert quote.status == decisions.get().state


def test_twenty_quotes_created_at_once_get_twenty_distinct_numbers():
    owner = SalespersonFactory()
    opportunity = OpportunityFactory(customer=CustomerFactory(owner=owner))
    valid_until = timezone.localdate() + timedelta(days=30)
    results = run_together(
        {
            n: lambda: services.create_quote(
                by=owner, opportunity_id=opportunity.pk, valid_until=valid_until
            )
            for n in range(20)
        }
    )
    assert {outcome for outcome, _ in results.values()} == {"ok"}, results
    numbers = list(Quote.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 20
    # One series, no gaps: each number was handed out once.
    assert sorted(int(n[-5:]) for n in numbers) == list(range(1, 21))


def test_customer_accepting_and_declining_at_once_leaves_one_answer():
    owner = SalespersonFactory()
    quote = quote_with_lines(opportunity=OpportunityFactory(customer=CustomerFactory(owner=owner)))
    services.submit_quote(quote_id=quote.pk, by=owner)
    services.approve_quote(quote_id=quote.pk, by=ManagerFactory())
    quote = services.send_quote(quote_id=quote.pk, by=owner)
    key = quote.public_key
    results = run_together(
        {
            "accept": lambda: customer_answers.customer_accepts(
                quote_id=quote.pk, public_key=key, name="Li Wei", ip="203.0.113.7"
            ),
            "decline": lambda: customer_answers.customer_declines(
                quote_id=quote.pk, public_key=key, reason="Too dear", ip="203.0.113.8"
            ),
        },
        lock_quote=quote,
    )
    assert sorted(outcome for outcome, _ in results.values()) == ["ok", "refused"], results
    answers = StateLog.objects.for_(quote).filter(state__in=["accepted", "declined"])
    assert answers.count() == 1
    quote.refresh_from_db()
    assert quote.status == answers.get().state
    # The record is the winner's alone.
    if quote.status == "accepted":
        assert (quote.customer_name, quote.customer_reason) == ("Li Wei", "")
    else:
        assert (quote.customer_name, quote.customer_reason) == ("", "Too dear")


def test_two_people_revising_at_once_make_one_revision():
    owner = SalespersonFactory()
    quote = quote_with_lines(opportunity=OpportunityFactory(customer=CustomerFactory(owner=owner)))
    services.submit_quote(quote_id=quote.pk, by=owner)
    services.approve_quote(quote_id=quote.pk, by=ManagerFactory())
    services.send_quote(quote_id=quote.pk, by=owner)
    manager = ManagerFactory()
    results = run_together(
        {
            "owner": lambda: services.revise_quote(quote_id=quote.pk, by=owner),
            "manager": lambda: services.revise_quote(quote_id=quote.pk, by=manager),
        },
        lock_quote=quote,
    )
    assert sorted(outcome for outcome, _ in results.values()) == ["ok", "refused"], results
    assert Quote.objects.filter(previous_revision=quote).count() == 1
