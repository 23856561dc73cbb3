"""Every page of the app with the usual personas, and the forms behind create and update."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communications.models import Communication
from tests.factories import CommunicationFactory, CustomerFactory, OpportunityFactory

LIST_URLS = ["communications:list", "communications:export", "communications:create"]
RECORD_URLS = ["communications:detail", "communications:update"]


@pytest.mark.parametrize("name", [*LIST_URLS, "communications:follow_ups"])
def test_anonymous_is_sent_to_login(client, name, db):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [*RECORD_URLS, "communications:follow_up_done"])
def test_anonymous_is_sent_to_login_from_a_record(client, name, communication):
    response = client.post(reverse(name, args=[communication.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", [*LIST_URLS, "communications:follow_ups"])
@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_signed_in_users_open_the_pages(request, persona, name, communication):
    client = request.getfixturevalue(persona)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", RECORD_URLS)
@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_owner_and_manager_open_a_record(request, persona, name, communication):
    client = request.getfixturevalue(persona)
    response = client.get(reverse(name, args=[communication.pk]))
    assert response.status_code == 200
    assert communication.subject in response.text


@pytest.mark.parametrize("name", RECORD_URLS)
def test_teammate_gets_404_on_someone_elses_record(teammate_client, name, communication):
    assert teammate_client.get(reverse(name, args=[communication.pk])).status_code == 404


def test_teammate_gets_404_when_posting_an_update(teammate_client, communication):
    url = reverse("communications:update", args=[communication.pk])
    assert teammate_client.post(url, _form_data(subject="Mine now")).status_code == 404
    communication.refresh_from_db()
    assert communication.subject != "Mine now"


def test_teammate_gets_404_when_marking_someone_elses_follow_up(teammate_client, customer):
    communication = CommunicationFactory(customer=customer, follow_up_on=timezone.localdate())
    url = reverse("communications:follow_up_done", args=[communication.pk])
    assert teammate_client.post(url).status_code == 404
    communication.refresh_from_db()
    assert not communication.follow_up_done


def test_teammate_export_of_someone_elses_record_is_404(teammate_client, communication):
    url = reverse("communications:export") + f"?id={communication.pk}"
    assert teammate_client.get(url).status_code == 404


def test_unknown_record_is_404(sales_client, db):
    assert sales_client.get(reverse("communications:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_follow_up_done_refuses_get(request, persona, customer):
    communication = CommunicationFactory(customer=customer, follow_up_on=timezone.localdate())
    client = request.getfixturevalue(persona)
    url = reverse("communications:follow_up_done", args=[communication.pk])
    assert client.get(url).status_code == 405
    communication.refresh_from_db()
    assert not communication.follow_up_done


@pytest.mark.parametrize("persona", ["sales_client", "manager_client"])
def test_owner_and_manager_mark_a_follow_up_done(request, persona, customer):
    communication = CommunicationFactory(customer=customer, follow_up_on=timezone.localdate())
    client = request.getfixturevalue(persona)
    response = client.post(reverse("communications:follow_up_done", args=[communication.pk]))
    assert response.status_code == 302
    communication.refresh_from_db()
    assert communication.follow_up_done


def _form_data(**values):
    return {
        "channel": "phone",
        "direction": "outbound",
        "subject": "Called about the renewal",
        "content": "They want a quote.",
        "occurred_at": "",
        "follow_up_on": "",
        **values,
    }


def test_salesperson_logs_a_communication(sales_client, salesperson, customer, opportunity):
    follow_up = timezone.localdate() + timedelta(days=3)
    response = sales_client.post(
        reverse("communications:create"),
        _form_data(
            customer=customer.pk, opportunity=opportunity.pk, follow_up_on=follow_up.isoformat()
        ),
    )
    communication = Communication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == communication.get_absolute_url()
    assert communication.author == salesperson
    assert communication.opportunity == opportunity
    assert communication.follow_up_on == follow_up


def test_create_returns_to_a_safe_next_only(sales_client, customer):
    url = reverse("communications:create")
    response = sales_client.post(
        url, _form_data(customer=customer.pk, next=customer.get_absolute_url())
    )
    assert response["Location"] == customer.get_absolute_url()
    response = sales_client.post(
        url, _form_data(customer=customer.pk, next="https://evil.example.com/")
    )
    assert response["Location"].startswith("/communications/")


def test_author_cannot_be_posted(sales_client, salesperson, teammate, customer):
    sales_client.post(
        reverse("communications:create"), _form_data(customer=customer.pk, author=teammate.pk)
    )
    assert Communication.objects.get().author == salesperson


def test_crafted_post_with_a_foreign_customer_is_refused(sales_client, foreign_customer):
    response = sales_client.post(
        reverse("communications:create"), _form_data(customer=foreign_customer.pk)
    )
    assert response.status_code == 200
    assert "customer" in response.context["form"].errors
    assert not Communication.objects.exists()


def test_crafted_post_with_a_foreign_opportunity_is_refused(
    sales_client, customer, foreign_opportunity
):
    response = sales_client.post(
        reverse("communications:create"),
        _form_data(customer=customer.pk, opportunity=foreign_opportunity.pk),
    )
    assert "opportunity" in response.context["form"].errors
    assert not Communication.objects.exists()


def test_crafted_post_with_an_opportunity_of_another_customer_is_refused(
    sales_client, salesperson, customer
):
    other_deal = OpportunityFactory(customer=CustomerFactory(owner=salesperson))
    response = sales_client.post(
        reverse("communications:create"),
        _form_data(customer=customer.pk, opportunity=other_deal.pk),
    )
    assert response.context["form"].errors["opportunity"] == [
        "This opportunity belongs to another customer."
    ]
    assert not Communication.objects.exists()


def test_crafted_post_with_junk_ids_is_a_form_error(sales_client, customer):
    response = sales_client.post(
        reverse("communications:create"),
        _form_data(customer="1 OR 1=1", opportunity="-5"),
    )
    assert response.status_code == 200
    assert {"customer", "opportunity"} <= set(response.context["form"].errors)
    assert not Communication.objects.exists()


def test_future_time_is_a_field_error(sales_client, customer):
    later = timezone.localtime() + timedelta(days=2)
    response = sales_client.post(
        reverse("communications:create"),
        _form_data(customer=customer.pk, occurred_at=later.strftime("%Y-%m-%dT%H:%M")),
    )
    assert "occurred_at" in response.context["form"].errors
    assert not Communication.objects.exists()


def test_create_is_prefilled_from_a_customer(sales_client, customer, opportunity):
    response = sales_client.get(reverse("communications:create") + f"?customer={customer.pk}")
    form = response.context["form"]
    assert form.initial["customer"] == customer.pk
    assert opportunity.name in response.text
    assert "hx-get" in response.text


def test_create_is_prefilled_from_an_opportunity(sales_client, customer, opportunity):
    response = sales_client.get(reverse("communications:create") + f"?opportunity={opportunity.pk}")
    form = response.context["form"]
    assert form.initial == {
        "customer": customer.pk,
        "opportunity": opportunity.pk,
        "occurred_at": form.initial["occurred_at"],
    }


def test_create_ignores_foreign_or_junk_prefill(
    sales_client, foreign_customer, foreign_opportunity
):
    url = reverse("communications:create")
    for query in (
        f"?customer={foreign_customer.pk}",
        f"?opportunity={foreign_opportunity.pk}",
        "?customer=abc&opportunity=99999999999999999999999",
    ):
        response = sales_client.get(url + query)
        assert response.status_code == 200
        assert foreign_customer.name not in response.text
        assert foreign_opportunity.name not in response.text


def test_customer_menu_lists_only_visible_current_customers(
    sales_client, salesperson, customer, foreign_customer
):
    archived = CustomerFactory(owner=salesperson, archived_at=timezone.now())
    response = sales_client.get(reverse("communications:create"))
    assert customer.name in response.text
    assert foreign_customer.name not in response.text
    assert archived.name not in response.text


def test_customer_menu_is_capped_and_searchable(sales_client, salesperson):
    CustomerFactory.create_batch(55, owner=salesperson)
    wanted = CustomerFactory(owner=salesperson, name="Zeta Unique Trading")
    response = sales_client.get(reverse("communications:create"))
    choices = response.context["form"].fields["customer"].widget.choices
    assert len(choices) == 51  # the empty choice and at most 50 customers
    response = sales_client.get(reverse("communications:create") + "?find=unique")
    choices = response.context["form"].fields["customer"].widget.choices
    assert choices[1:] == [(wanted.pk, wanted.name)]


def test_htmx_refresh_returns_only_the_opportunity_menu(sales_client, customer, opportunity):
    response = sales_client.get(
        reverse("communications:create") + f"?customer={customer.pk}",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.strip().startswith('<div id="opportunity-field">')
    assert opportunity.name in response.text
    assert "<html" not in response.text


def test_update_keeps_the_customer_even_if_another_is_posted(
    sales_client, salesperson, communication
):
    other = CustomerFactory(owner=salesperson)
    response = sales_client.post(
        reverse("communications:update", args=[communication.pk]),
        _form_data(
            customer=other.pk,
            subject="Changed",
            occurred_at=timezone.localtime(communication.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 302
    communication.refresh_from_db()
    assert communication.subject == "Changed"
    assert communication.customer_id != other.pk


def test_update_refuses_an_opportunity_of_another_customer(
    sales_client, salesperson, communication
):
    other_deal = OpportunityFactory(customer=CustomerFactory(owner=salesperson))
    response = sales_client.post(
        reverse("communications:update", args=[communication.pk]),
        _form_data(
            opportunity=other_deal.pk,
            occurred_at=timezone.localtime(communication.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert "opportunity" in response.context["form"].errors
    communication.refresh_from_db()
    assert communication.opportunity is None


def test_detail_shows_the_follow_up_and_its_button(sales_client, customer):
    communication = CommunicationFactory(
        customer=customer, follow_up_on=timezone.localdate() - timedelta(days=1)
    )
    response = sales_client.get(communication.get_absolute_url())
    assert "overdue" in response.text
    assert reverse("communications:follow_up_done", args=[communication.pk]) in response.text


def test_pages_have_no_inline_scripts_or_styles(sales_client, customer, opportunity):
    CommunicationFactory(
        customer=customer, opportunity=opportunity, follow_up_on=timezone.localdate()
    )
    communication = Communication.objects.get()
    for url in (
        reverse("communications:list"),
        reverse("communications:create") + f"?customer={customer.pk}",
        reverse("communications:follow_ups"),
        communication.get_absolute_url(),
        reverse("communications:update", args=[communication.pk]),
        customer.get_absolute_url(),
    ):
        text = sales_client.get(url).text
        assert " style=" not in text, url
        assert " onclick=" not in text and " onchange=" not in text, url
        assert "<script>" not in text, url
