"""The merge page (customers:merge): two customers side by side, a choice per differing field,
the merge on POST; refusals as messages, a customer the user may not see is a 404."""

import pytest
from django.urls import reverse

from customers.merge import merge_customers
from customers.models import Customer, CustomerMerge
from opportunities.models import Opportunity
from tests.factories import CustomerFactory, OpportunityFactory


def merge_url(survivor, other=None) -> str:
    url = reverse("customers:merge", args=[survivor.pk])
    return f"{url}?other={other.pk}" if other is not None else url


def test_page_shows_both_customers_with_a_choice_where_they_differ(sales_client, pair):
    survivor, other = pair

    response = sales_client.get(merge_url(survivor, other))

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {"name", "phone", "email", "rating"}  # the same kind, status...
    assert form["name"].initial == "survivor"
    assert form["phone"].initial == "other"  # the survivor has none
    assert "+86 21 5555 0101" in response.text
    assert 'name="owner"' not in response.text  # both are the salesperson's


def test_manager_chooses_the_owner_too(manager_client, customer, foreign_customer):
    response = manager_client.get(merge_url(customer, foreign_customer))

    assert "owner" in response.context["form"].fields


def test_post_merges_with_the_chosen_values_and_shows_the_survivor(sales_client, pair):
    survivor, other = pair
    deal = OpportunityFactory(customer=other, name="Big deal")

    response = sales_client.post(
        merge_url(survivor),
        {"other": other.pk, "name": "other", "email": "survivor", "rating": "survivor"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == survivor.get_absolute_url()
    survivor.refresh_from_db()
    assert (survivor.name, survivor.phone, survivor.rating) == (
        "ACME Limited",  # chosen
        "+86 21 5555 0101",  # not chosen: the survivor had none
        "",  # chosen, though empty
    )
    assert Opportunity.objects.get(pk=deal.pk).customer == survivor
    assert "merged into" in response.text
    assert "Big deal" in response.text
    history = response.text[response.text.index('id="merge-history"') :]
    assert "ACME Limited" in history
    assert "1 opportunity" in history


def test_the_merged_customers_page_links_to_the_survivor(sales_client, salesperson, pair):
    survivor, other = pair
    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)

    response = sales_client.get(other.get_absolute_url())

    assert 'id="merged-into"' in response.text
    assert f'href="{survivor.get_absolute_url()}"' in response.text
    assert reverse("customers:merge", args=[other.pk]) not in response.text


def test_a_bad_choice_shows_an_error_and_changes_nothing(sales_client, pair):
    survivor, other = pair

    response = sales_client.post(
        merge_url(survivor), {"other": other.pk, "phone": "both", "email": "survivor"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors
    other.refresh_from_db()
    assert other.merged_into is None
    assert not CustomerMerge.objects.exists()


def test_a_refused_merge_is_a_message_not_an_error(sales_client, salesperson, pair):
    survivor, other = pair
    merge_customers(survivor_id=survivor.pk, other_id=other.pk, by=salesperson)
    third = CustomerFactory(owner=salesperson)

    response = sales_client.post(merge_url(third), {"other": other.pk}, follow=True)

    assert response.status_code == 200
    assert "already been merged" in response.text
    assert CustomerMerge.objects.count() == 1


def test_merging_a_customer_with_itself_is_refused_with_a_message(sales_client, customer):
    response = sales_client.get(merge_url(customer, customer))

    assert response.status_code == 200
    assert "cannot be merged with itself" in response.text
    assert "form" not in response.context


def test_without_other_the_page_offers_the_matching_customers(sales_client, salesperson, pair):
    survivor, _other = pair
    twin = CustomerFactory(owner=salesperson, name="Acme (Shanghai)", email="SALES@acme.com")
    CustomerFactory(owner=salesperson, name="Unrelated Co")

    response = sales_client.get(merge_url(survivor))

    assert response.status_code == 200
    assert response.context["matches"].visible == [twin]
    assert f"?other={twin.pk}" in response.text


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_teammates_customer_is_not_found_either_way(
    method, sales_client, customer, foreign_customer
):
    for survivor, other in [(customer, foreign_customer), (foreign_customer, customer)]:
        request = getattr(sales_client, method)
        if method == "get":
            response = request(merge_url(survivor, other))
        else:
            response = request(merge_url(survivor), {"other": other.pk})
        assert response.status_code == 404
    assert not Customer.objects.filter(merged_into__isnull=False).exists()


@pytest.mark.parametrize("other", ["abc", "-1", "99999999999999999999", "1.5"])
def test_malformed_other_is_a_404(sales_client, customer, other):
    url = reverse("customers:merge", args=[customer.pk])
    assert sales_client.get(f"{url}?other={other}").status_code == 404
    assert sales_client.post(url, {"other": other}).status_code == 404


def test_post_without_other_is_a_404(sales_client, customer):
    assert sales_client.post(merge_url(customer), {}).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, customer):
    response = client.get(merge_url(customer))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
