from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_fsm_log.models import StateLog

from opportunities.models import Opportunity
from opportunities.services import change_stage, create_opportunity, update_opportunity
from tests.factories import CustomerFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def history(opportunity):
    return list(
        StateLog.objects.for_(opportunity)
        .order_by("timestamp", "id")
        .values_list("source_state", "state", "by_id", "description")
    )


def test_salesperson_creates_opportunity_with_stage_default_probability(customer, salesperson):
    deal = create_opportunity(
        by=salesperson, customer_id=customer.pk, stage="qualified", amount="12000", name="Pilot"
    )
    assert (deal.owner, deal.stage, deal.probability) == (salesperson, "qualified", 25)
    assert not deal.probability_is_custom
    deal.refresh_from_db()
    assert deal.weighted_amount == Decimal("3000.00")


def test_salesperson_cannot_open_a_deal_on_a_teammates_customer(salesperson, foreign_customer):
    with pytest.raises(ValidationError) as error:
        create_opportunity(by=salesperson, customer_id=foreign_customer.pk, amount=100)
    assert "customer" in error.value.error_dict
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("stage", ["won", "lost", "junk"])
def test_new_opportunity_must_start_open(customer, salesperson, stage):
    with pytest.raises(ValidationError):
        create_opportunity(by=salesperson, customer_id=customer.pk, stage=stage)
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("amount", ["-1", "abc", "NaN", None])
def test_bad_amount_is_refused(customer, salesperson, amount):
    with pytest.raises(ValidationError):
        create_opportunity(by=salesperson, customer_id=customer.pk, amount=amount)
    assert not Opportunity.objects.exists()


def test_moving_between_open_stages_takes_the_new_stage_probability(customer, salesperson):
    deal = OpportunityFactory(customer=customer)
    deal = change_stage(opportunity_id=deal.pk, by=salesperson, to="proposal", note="Sent")
    assert (deal.stage, deal.probability) == ("proposal", 50)
    assert history(deal) == [("prospecting", "proposal", salesperson.pk, "Sent")]


def test_custom_probability_survives_moves_between_open_stages(customer, salesperson):
    deal = OpportunityFactory(customer=customer)
    deal = update_opportunity(opportunity_id=deal.pk, by=salesperson, probability=40)
    assert deal.probability_is_custom
    deal = change_stage(opportunity_id=deal.pk, by=salesperson, to="negotiation")
    assert deal.probability == 40
    deal = update_opportunity(opportunity_id=deal.pk, by=salesperson, probability=None)
    assert (deal.probability, deal.probability_is_custom) == (75, False)


def test_winning_sets_probability_to_100_and_is_final(customer, salesperson):
    deal = OpportunityFactory(customer=customer, stage="negotiation")
    deal = change_stage(opportunity_id=deal.pk, by=salesperson, to="won")
    assert (deal.stage, deal.probability) == ("won", 100)
    assert deal.closed_at is not None
    for target in ["prospecting", "lost", "won"]:
        with pytest.raises(ValidationError):
            change_stage(opportunity_id=deal.pk, by=salesperson, to=target, note="x")
    deal.refresh_from_db()
    assert deal.stage == "won"
    assert len(history(deal)) == 1


def test_losing_needs_a_reason(customer, salesperson):
    deal = OpportunityFactory(customer=customer, stage="proposal")
    with pytest.raises(ValidationError):
        change_stage(opportunity_id=deal.pk, by=salesperson, to="lost", note="   ")
    deal.refresh_from_db()
    assert deal.stage == "proposal"
    assert history(deal) == []


def test_lost_opportunity_records_reason_and_can_be_reopened(customer, salesperson):
    deal = OpportunityFactory(customer=customer, stage="proposal")
    deal = change_stage(opportunity_id=deal.pk, by=salesperson, to="lost", note="Price too high")
    assert (deal.stage, deal.probability, deal.lost_reason) == ("lost", 0, "Price too high")
    deal = change_stage(opportunity_id=deal.pk, by=salesperson, to="qualified")
    assert (deal.stage, deal.probability, deal.lost_reason, deal.closed_at) == (
        "qualified",
        25,
        "",
        None,
    )
    assert [(s, t) for s, t, _, _ in history(deal)] == [("proposal", "lost"), ("lost", "qualified")]


def test_unknown_or_same_stage_is_refused_with_a_message(customer, salesperson):
    deal = OpportunityFactory(customer=customer, stage="qualified")
    for target in ["qualified", "archived", ""]:
        with pytest.raises(ValidationError) as error:
            change_stage(opportunity_id=deal.pk, by=salesperson, to=target)
        assert error.value.messages
    deal.refresh_from_db()
    assert deal.stage == "qualified"


def test_teammate_cannot_move_someone_elses_deal(customer, teammate):
    deal = OpportunityFactory(customer=customer)
    with pytest.raises(Opportunity.DoesNotExist):
        change_stage(opportunity_id=deal.pk, by=teammate, to="qualified")
    deal.refresh_from_db()
    assert deal.stage == "prospecting"


def test_manager_moves_any_deal(customer, manager):
    deal = OpportunityFactory(customer=customer)
    assert change_stage(opportunity_id=deal.pk, by=manager, to="qualified").stage == "qualified"


def test_closed_deal_keeps_its_probability(customer, salesperson):
    deal = OpportunityFactory(customer=customer, stage="won", probability=100)
    with pytest.raises(ValidationError):
        update_opportunity(opportunity_id=deal.pk, by=salesperson, probability=50)


def test_update_refuses_unknown_fields_such_as_stage(customer, salesperson):
    deal = OpportunityFactory(customer=customer)
    with pytest.raises(ValidationError):
        update_opportunity(opportunity_id=deal.pk, by=salesperson, stage="won")
    deal.refresh_from_db()
    assert deal.stage == "prospecting"


def test_customers_of_other_salespeople_are_not_choosable(salesperson):
    archived = CustomerFactory(owner=salesperson)
    archived.archived_at = archived.created_at
    archived.save()
    with pytest.raises(ValidationError):
        create_opportunity(by=salesperson, customer_id=archived.pk)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "This opportunity has been won: its stage can no longer change."),
        ("zh-hans", "该销售机会已赢单，阶段不能再更改。"),
    ],
)
def test_moving_a_won_deal_says_its_stage_can_no_longer_change(
    customer, salesperson, language, text
):
    deal = OpportunityFactory(customer=customer, stage="won", probability=100)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        change_stage(opportunity_id=deal.pk, by=salesperson, to="proposal")
    assert refused.value.messages == [text]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "This opportunity was lost: reopen it in an open stage before marking it won."),
        ("zh-hans", "该销售机会已丢单：请先在进行中的阶段重新打开，再标记为赢单。"),
    ],
)
def test_winning_a_lost_deal_says_to_reopen_it_first(customer, salesperson, language, text):
    deal = OpportunityFactory(customer=customer, stage="lost", probability=0)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        change_stage(opportunity_id=deal.pk, by=salesperson, to="won")
    assert refused.value.messages == [text]
    deal.refresh_from_db()
    assert deal.stage == "lost"
