import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog

from tests.factories import OpportunityFactory, SalespersonFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:opportunities_opportunity_changelist")


def test_manager_sees_deals_with_stage_read_only(manager_client, customer):
    deal = OpportunityFactory(customer=customer, stage="qualified")
    assert (
        manager_client.get(CHANGELIST, {"stage__exact": "qualified", "q": deal.name}).status_code
        == 200
    )
    change = reverse("admin:opportunities_opportunity_change", args=[deal.pk])
    response = manager_client.get(change)
    assert response.status_code == 200
    assert "stage" not in response.context["adminform"].form.fields
    response = manager_client.post(
        change,
        {
            "name": "Renamed",
            "customer": customer.pk,
            "owner": deal.owner.pk,
            "amount": "5",
            "stage": "won",
        },
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert (deal.name, deal.stage) == ("Renamed", "qualified")


def test_stage_action_goes_through_the_service_and_reports_refusals(manager_client, customer):
    movable = OpportunityFactory(customer=customer, stage="qualified")
    won = OpportunityFactory(customer=customer, stage="won", probability=100)
    response = manager_client.post(
        CHANGELIST,
        {"action": "move_to_proposal", "_selected_action": [movable.pk, won.pk]},
        follow=True,
    )
    movable.refresh_from_db()
    won.refresh_from_db()
    assert (movable.stage, won.stage) == ("proposal", "won")
    assert StateLog.objects.for_(movable).get().state == "proposal"
    assert any(won.name in str(m) for m in response.context["messages"])


def test_manager_reassigns_deals_in_bulk(manager_client, customer):
    deals = OpportunityFactory.create_batch(2, customer=customer)
    newcomer = SalespersonFactory()
    data = {"action": "reassign_owner", "_selected_action": [d.pk for d in deals]}
    page = manager_client.post(CHANGELIST, data)
    assert page.status_code == 200 and b"new_owner" in page.content
    manager_client.post(CHANGELIST, {**data, "apply": "1", "new_owner": newcomer.pk})
    assert {d.owner for d in customer.opportunities.all()} == {newcomer}


def test_salesperson_has_no_admin(sales_client):
    assert sales_client.get(CHANGELIST).status_code == 302
