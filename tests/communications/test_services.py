from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communications.models import Communication
from communications.services import (
    create_communication,
    set_follow_up_done,
    update_communication,
)
from tests.factories import CommunicationFactory, CustomerFactory, OpportunityFactory


def test_salesperson_logs_a_call_with_own_customer(salesperson, customer):
    communication = create_communication(
        by=salesperson, customer_id=customer.pk, channel="phone", subject="Intro call"
    )
    assert communication.customer == customer
    assert communication.author == salesperson
    assert communication.direction == Communication.Direction.OUTBOUND
    assert communication.opportunity is None
    assert abs((timezone.now() - communication.occurred_at).total_seconds()) < 60


def test_customer_follows_from_the_opportunity(salesperson, opportunity):
    communication = create_communication(
        by=salesperson, opportunity_id=opportunity.pk, channel="email", content="Sent the offer"
    )
    assert communication.customer_id == opportunity.customer_id
    assert communication.opportunity == opportunity


def test_subject_defaults_to_the_first_line_of_the_content(salesperson, customer):
    content = "\n  Asked for a discount on " + "very " * 30 + "large orders\nSecond line"
    communication = create_communication(
        by=salesperson, customer_id=customer.pk, channel="phone", content=content
    )
    assert communication.subject.startswith("Asked for a discount on very")
    assert len(communication.subject) <= 80
    assert "Second line" not in communication.subject


def test_subject_or_content_is_required(salesperson, customer):
    with pytest.raises(ValidationError) as error:
        create_communication(by=salesperson, customer_id=customer.pk, channel="phone")
    assert "subject" in error.value.message_dict
    assert not Communication.objects.exists()


def test_iso_strings_are_accepted_for_dates(salesperson, customer):
    communication = create_communication(
        by=salesperson,
        customer_id=str(customer.pk),
        channel="meeting",
        subject="Kick-off",
        occurred_at="2026-01-05T10:30",
        follow_up_on="2026-01-12",
    )
    communication.refresh_from_db()
    assert timezone.localtime(communication.occurred_at).replace(tzinfo=None) == datetime(
        2026, 1, 5, 10, 30
    )
    assert communication.follow_up_on == date(2026, 1, 12)


def test_date_objects_are_accepted(salesperson, customer):
    when = timezone.now() - timedelta(days=2)
    communication = create_communication(
        by=salesperson,
        customer_id=customer.pk,
        channel="visit",
        subject="Site visit",
        occurred_at=when,
        follow_up_on=date(2030, 1, 1),
    )
    assert communication.occurred_at == when
    assert communication.follow_up_on == date(2030, 1, 1)


@pytest.mark.parametrize(
    ("field", "value"), [("occurred_at", "yesterday"), ("follow_up_on", "31/12/2030")]
)
def test_malformed_dates_are_refused_on_their_field(salesperson, customer, field, value):
    with pytest.raises(ValidationError) as error:
        create_communication(
            by=salesperson, customer_id=customer.pk, channel="phone", subject="x", **{field: value}
        )
    assert field in error.value.message_dict
    assert not Communication.objects.exists()


def test_a_communication_cannot_happen_in_the_future(salesperson, customer):
    with pytest.raises(ValidationError) as error:
        create_communication(
            by=salesperson,
            customer_id=customer.pk,
            channel="phone",
            subject="Next week",
            occurred_at=timezone.now() + timedelta(days=7),
        )
    assert "occurred_at" in error.value.message_dict


def test_unknown_channel_is_refused(salesperson, customer):
    with pytest.raises(ValidationError) as error:
        create_communication(by=salesperson, customer_id=customer.pk, channel="fax", subject="x")
    assert "channel" in error.value.message_dict


def test_foreign_customer_is_refused_and_nothing_created(salesperson, foreign_customer):
    with pytest.raises(ValidationError) as error:
        create_communication(
            by=salesperson, customer_id=foreign_customer.pk, channel="phone", subject="Hi"
        )
    assert "customer" in error.value.message_dict
    assert not Communication.objects.exists()


def test_foreign_opportunity_is_refused_and_nothing_created(salesperson, foreign_opportunity):
    with pytest.raises(ValidationError) as error:
        create_communication(
            by=salesperson, opportunity_id=foreign_opportunity.pk, channel="phone", subject="Hi"
        )
    assert "opportunity" in error.value.message_dict
    assert not Communication.objects.exists()


def test_own_customer_with_foreign_opportunity_is_refused(
    salesperson, customer, foreign_opportunity
):
    with pytest.raises(ValidationError) as error:
        create_communication(
            by=salesperson,
            customer_id=customer.pk,
            opportunity_id=foreign_opportunity.pk,
            channel="phone",
            subject="Hi",
        )
    assert "opportunity" in error.value.message_dict
    assert not Communication.objects.exists()


def test_opportunity_of_another_customer_is_refused(salesperson, customer):
    other_customer = CustomerFactory(owner=salesperson)
    other_deal = OpportunityFactory(customer=other_customer)
    with pytest.raises(ValidationError) as error:
        create_communication(
            by=salesperson,
            customer_id=customer.pk,
            opportunity_id=other_deal.pk,
            channel="phone",
            subject="Hi",
        )
    assert "opportunity" in error.value.message_dict
    assert not Communication.objects.exists()


def test_archived_customer_is_refused(salesperson, customer):
    customer.archived_at = timezone.now()
    customer.save()
    with pytest.raises(ValidationError):
        create_communication(by=salesperson, customer_id=customer.pk, channel="phone", subject="x")


@pytest.mark.parametrize("bad_id", ["abc", -1, 2**70, True])
def test_malformed_ids_are_refused(salesperson, bad_id):
    with pytest.raises(ValidationError):
        create_communication(by=salesperson, customer_id=bad_id, channel="phone", subject="x")
    assert not Communication.objects.exists()


def test_neither_customer_nor_opportunity_is_refused(salesperson):
    with pytest.raises(ValidationError) as error:
        create_communication(by=salesperson, channel="phone", subject="x")
    assert "customer" in error.value.message_dict


def test_manager_logs_for_any_customer(manager, foreign_customer):
    communication = create_communication(
        by=manager, customer_id=foreign_customer.pk, channel="visit", subject="Escalation"
    )
    assert communication.author == manager


def test_update_changes_details_and_keeps_the_author(manager, communication):
    updated = update_communication(
        communication_id=communication.pk,
        by=manager,
        subject="Follow-up call",
        channel="email",
        direction="inbound",
    )
    assert (updated.subject, updated.channel, updated.direction) == (
        "Follow-up call",
        "email",
        "inbound",
    )
    assert updated.author == communication.author


def test_update_refuses_an_opportunity_of_another_customer(salesperson, communication):
    other_deal = OpportunityFactory(customer=CustomerFactory(owner=salesperson))
    with pytest.raises(ValidationError) as error:
        update_communication(
            communication_id=communication.pk, by=salesperson, opportunity_id=other_deal.pk
        )
    assert "opportunity" in error.value.message_dict
    communication.refresh_from_db()
    assert communication.opportunity is None


def test_update_refuses_a_foreign_customer(salesperson, communication, foreign_customer):
    with pytest.raises(ValidationError):
        update_communication(
            communication_id=communication.pk, by=salesperson, customer_id=foreign_customer.pk
        )
    communication.refresh_from_db()
    assert communication.customer.owner == salesperson


def test_update_refuses_a_customer_whose_opportunity_stays(salesperson, customer, opportunity):
    communication = CommunicationFactory(opportunity=opportunity)
    other_customer = CustomerFactory(owner=salesperson)
    with pytest.raises(ValidationError) as error:
        update_communication(
            communication_id=communication.pk, by=salesperson, customer_id=other_customer.pk
        )
    assert "opportunity" in error.value.message_dict


def test_teammate_cannot_update_someone_elses_communication(teammate, communication):
    with pytest.raises(Communication.DoesNotExist):
        update_communication(communication_id=communication.pk, by=teammate, subject="Mine now")


def test_update_refuses_unknown_fields(salesperson, communication):
    with pytest.raises(ValidationError):
        update_communication(communication_id=communication.pk, by=salesperson, author_id=1)


def test_new_follow_up_date_reopens_a_done_follow_up(salesperson, communication):
    today = timezone.localdate()
    update_communication(communication_id=communication.pk, by=salesperson, follow_up_on=today)
    set_follow_up_done(communication_id=communication.pk, by=salesperson)
    updated = update_communication(
        communication_id=communication.pk,
        by=salesperson,
        follow_up_on=(today + timedelta(days=7)).isoformat(),
    )
    assert updated.follow_up_on == today + timedelta(days=7)
    assert not updated.follow_up_done
    assert updated.follow_up_done_at is None


def test_follow_up_done_records_when_and_reopens(salesperson, customer):
    communication = CommunicationFactory(customer=customer, follow_up_on=timezone.localdate())
    done = set_follow_up_done(communication_id=communication.pk, by=salesperson)
    assert done.follow_up_done and done.follow_up_done_at is not None
    reopened = set_follow_up_done(communication_id=communication.pk, by=salesperson, done=False)
    assert not reopened.follow_up_done and reopened.follow_up_done_at is None


def test_follow_up_done_needs_a_follow_up(salesperson, communication):
    with pytest.raises(ValidationError):
        set_follow_up_done(communication_id=communication.pk, by=salesperson)
    communication.refresh_from_db()
    assert not communication.follow_up_done


def test_teammate_cannot_mark_someone_elses_follow_up(teammate, customer):
    communication = CommunicationFactory(customer=customer, follow_up_on=timezone.localdate())
    with pytest.raises(Communication.DoesNotExist):
        set_follow_up_done(communication_id=communication.pk, by=teammate)
    communication.refresh_from_db()
    assert not communication.follow_up_done
