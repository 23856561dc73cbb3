"""Every error is application/problem+json (RFC 9457), and no input makes a 500."""

import pytest
from django.core.cache import cache
from django.utils import translation

from customers import services as customer_services
from tests.api.conftest import ApiClient
from tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db

SHAPE = {"type", "title", "status", "detail"}


def assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.data) >= SHAPE
    assert response.data["status"] == status
    assert response.data["type"].startswith("urn:crm:problem:")
    assert response.data["detail"]


def test_401_is_a_problem():
    assert_problem(ApiClient().get("/customers/"), 401)


def test_404_does_not_reveal_a_teammates_record(sales_api, foreign_customer):
    foreign = sales_api.get(f"/customers/{foreign_customer.pk}")
    missing = sales_api.get("/customers/999999999")
    assert_problem(foreign, 404)
    assert foreign.data == missing.data


def test_invalid_input_is_422_with_errors_per_field(sales_api):
    response = sales_api.post("/customers/", {"name": "", "email": "not an e-mail"})
    assert_problem(response, 422)
    assert "name" in response.data["errors"]


def test_a_services_refusal_names_its_field(sales_api):
    response = sales_api.post("/customers/", {"name": "Acme", "kind": "bogus"})
    assert_problem(response, 422)
    assert set(response.data["errors"]) == {"kind"}


@pytest.mark.parametrize("body", ["{bad json", "[1, 2", "\x00", '"just a string"', "[]"])
def test_a_body_that_is_not_a_json_object_is_422(sales_api, body):
    assert_problem(sales_api.post("/customers/", raw=body), 422)


@pytest.mark.parametrize(
    "path",
    ["/customers/0", "/customers/-1", "/customers/abc", "/customers/99999999999999999999999"],
)
def test_an_id_that_cannot_name_a_record_is_a_problem_not_a_500(sales_api, path):
    response = sales_api.get(path)
    assert response.status_code in (404, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_a_step_the_state_does_not_allow_is_409(sales_api, customer):
    quote = QuoteFactory(opportunity__customer=customer, status="approved")
    response = sales_api.post(f"/quotes/{quote.pk}/submit")
    assert_problem(response, 409)
    assert "only a draft can" in response.data["detail"]


def test_a_refused_permission_is_403(sales_api, customer):
    quote = QuoteFactory(opportunity__customer=customer, status="pending_approval")
    assert_problem(sales_api.post(f"/quotes/{quote.pk}/approve"), 403)


def test_the_detail_is_in_the_requested_language(sales_api, customer):
    quote = QuoteFactory(opportunity__customer=customer, status="pending_approval")
    response = sales_api.post(f"/quotes/{quote.pk}/approve", headers={"Accept-Language": "zh-hans"})
    assert_problem(response, 403)
    with translation.override("zh-hans"):
        expected = translation.gettext("Only a sales manager can approve or reject quotes.")
    assert response.data["detail"] == expected


def test_an_unforeseen_error_is_a_500_problem_and_changes_nothing(sales_api, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(customer_services, "create_customer", broken)
    response = sales_api.post("/customers/", {"name": "Acme"})
    assert_problem(response, 500)
    assert "boom" not in response.content.decode()


def test_too_many_requests_is_429_with_retry_after(settings, sales_api):
    settings.CRM_API_RATE, settings.CRM_API_BURST = 1, 3
    cache.clear()
    statuses = [sales_api.get("/customers/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = sales_api.get("/customers/")
    assert_problem(response, 429)
    assert int(response["Retry-After"]) >= 1


def test_the_rate_is_counted_per_token(settings, salesperson, api_for):
    settings.CRM_API_RATE, settings.CRM_API_BURST = 1, 1
    first, second = api_for(salesperson), api_for(salesperson)
    assert first.get("/customers/").status_code == 200
    assert first.get("/customers/").status_code == 429
    assert second.get("/customers/").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/customers/", "GET, POST"),
        ("put", "/customers/1", "GET, PATCH"),
        ("get", "/quotes/1/submit", "POST"),
    ],
)
def test_a_method_the_address_does_not_have_is_a_405_problem_with_allow(
    sales_api, method, path, allowed
):
    response = sales_api.request(method, path)
    assert_problem(response, 405)
    assert response["Allow"] == allowed
    assert allowed in response.data["detail"]


@pytest.mark.parametrize("path", ["/nothing-here", "/customers/1/nothing", "/api/v1/"])
def test_an_address_under_the_api_that_names_no_endpoint_is_a_404_problem(sales_api, path):
    response = sales_api.get(path)
    assert_problem(response, 404)
    assert response.data["type"] == "urn:crm:problem:no-such-endpoint"


def test_a_list_address_without_its_slash_says_which_one_is_meant():
    response = ApiClient().post("/customers", {"name": "Acme"})
    assert_problem(response, 404)
    assert "/api/v1/customers/?" in response.data["detail"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/customers/", {"name": "a\x00b"}, "name"),
        ("/customers/", {"name": "Acme", "tags": ["\x00"]}, "tags"),
        ("/opportunities/1/move", {"stage": "won", "note": "\x00"}, "note"),
    ],
)
def test_a_null_character_in_the_body_is_refused_naming_its_field(sales_api, path, body, field):
    # PostgreSQL cannot store NUL: it was a DataError answered as "too large or too long".
    response = sales_api.post(path, body)
    assert_problem(response, 422)
    assert response.data["errors"] == {field: ["Null characters are not allowed."]}


def test_an_idempotency_key_with_a_null_character_is_refused(sales_api):
    response = sales_api.post("/customers/", {"name": "Acme"}, headers={"Idempotency-Key": "a\x00"})
    assert_problem(response, 422)
    assert list(response.data["errors"]) == ["Idempotency-Key"]
