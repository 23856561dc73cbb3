"""Personal API tokens: who a token is, when it stops working, and the page that makes them."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.tokens import issue_token, key_hash
from tests.api.conftest import ApiClient, make_key
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_token_acts_as_its_user(sales_api, customer, foreign_customer):
    response = sales_api.get("/customers/")
    assert response.status_code == 200
    assert [item["id"] for item in response.data["items"]] == [customer.pk]


def test_only_the_hash_of_a_key_is_stored(salesperson):
    token, key = issue_token(user=salesperson, name="script")
    assert key.startswith(f"crm_{token.prefix}_")
    assert token.key_hash == key_hash(key)
    assert key not in {token.name, token.prefix, token.key_hash}


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Bearer crm_0000_nope", "Token {key}", "Basic {key}", "{key}"],
)
def test_a_request_without_a_valid_bearer_token_is_401(salesperson, header):
    key = make_key(salesperson)
    headers = {} if header is None else {"Authorization": header.format(key=key)}
    response = ApiClient().get("/customers/", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_session_cookie_alone_does_not_authenticate(sales_client):
    response = sales_client.get("/api/v1/customers/")
    assert response.status_code == 401
    response = sales_client.post(
        "/api/v1/customers/", {"name": "Via cookie"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_revoked_token_is_401(salesperson):
    key = make_key(salesperson)
    ApiToken.objects.update(revoked_at=timezone.now())
    assert ApiClient(key).get("/customers/").status_code == 401


def test_the_token_of_an_inactive_user_is_401(salesperson):
    key = make_key(salesperson)
    salesperson.is_active = False
    salesperson.save()
    assert ApiClient(key).get("/customers/").status_code == 401


def test_a_read_only_token_reads_but_may_not_write(salesperson, customer, api_for):
    api = api_for(salesperson, read_only=True)
    assert api.get(f"/customers/{customer.pk}").status_code == 200
    for response in (
        api.post("/customers/", {"name": "Nope"}),
        api.patch(f"/customers/{customer.pk}", {"name": "Nope"}),
    ):
        assert response.status_code == 403
        assert response.data["type"] == "urn:crm:problem:read-only-token"
    customer.refresh_from_db()
    assert customer.name != "Nope"


def test_last_used_is_written_at_most_once_a_minute(salesperson):
    token, key = issue_token(user=salesperson, name="script")
    ApiClient(key).get("/customers/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    ApiClient(key).get("/customers/")
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    ApiClient(key).get("/customers/")
    token.refresh_from_db()
    assert token.last_used_at > first


def test_issue_api_token_prints_a_working_key(salesperson, capsys):
    call_command("issue_api_token", salesperson.username, "--name", "ERP", "--read-only")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=salesperson)
    assert (token.name, token.read_only) == ("ERP", True)
    assert ApiClient(key).get("/customers/").status_code == 200


def test_the_tokens_page_shows_a_new_key_once(sales_client, salesperson):
    response = sales_client.post(reverse("api:tokens"), {"name": "Website form"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    page = sales_client.get(reverse("api:tokens")).content.decode()
    assert "Website form" in page and key not in page
    assert ApiToken.objects.get(user=salesperson).prefix in page


def test_the_user_menu_links_to_the_tokens_page(sales_client):
    page = sales_client.get(reverse("dashboard")).content.decode()
    assert reverse("api:tokens") in page


def test_the_owner_revokes_a_token(sales_client, salesperson):
    token, key = issue_token(user=salesperson, name="old")
    response = sales_client.post(reverse("api:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiClient(key).get("/customers/").status_code == 401


def test_nobody_revokes_someone_elses_token(teammate_client, salesperson):
    token, _key = issue_token(user=salesperson, name="mine")
    assert teammate_client.post(reverse("api:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_lists_only_ones_own(sales_client, teammate):
    issue_token(user=teammate, name="Bob's secret script")
    assert "Bob's secret script" not in sales_client.get(reverse("api:tokens")).content.decode()


def test_revoking_refuses_get(sales_client, salesperson):
    token, _key = issue_token(user=salesperson, name="mine")
    assert sales_client.get(reverse("api:revoke", args=[token.pk])).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("api:tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_customers_made_with_a_token_belong_to_its_user(sales_api, salesperson):
    response = sales_api.post("/customers/", {"name": "Made by script"})
    assert response.status_code == 201
    assert CustomerFactory._meta.model.objects.get(pk=response.data["id"]).owner == salesperson
