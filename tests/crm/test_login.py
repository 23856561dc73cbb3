"""Every page needs a login except the login page and the language switch."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CustomerFactory, SalespersonFactory

LOGIN_URL = reverse("login")


@pytest.mark.parametrize(
    "url",
    [
        reverse("dashboard"),
        reverse("customers:list"),
        reverse("customers:create"),
        reverse("customers:export"),
        reverse("password_change"),
    ],
)
def test_anonymous_visitor_is_sent_to_login(db, url):
    response = Client().get(url)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={url}"


def test_login_page_renders_for_anonymous_visitor(db):
    response = Client().get(LOGIN_URL)

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_salesperson_logs_in_and_lands_on_the_dashboard(db):
    SalespersonFactory(username="alice")
    client = Client()

    response = client.post(LOGIN_URL, {"username": "alice", "password": "secret-pass-123"})

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_wrong_password_stays_on_the_login_page(db):
    SalespersonFactory(username="alice")

    response = Client().post(LOGIN_URL, {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].errors


def test_login_returns_to_the_page_asked_for(db):
    SalespersonFactory(username="alice")
    wanted = reverse("customers:list")

    response = Client().post(
        f"{LOGIN_URL}?next={wanted}",
        {"username": "alice", "password": "secret-pass-123", "next": wanted},
    )

    assert response.url == wanted


def test_anonymous_visitor_switches_to_chinese_before_logging_in(db):
    client = Client()

    response = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": LOGIN_URL}, follow=True
    )

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == LOGIN_URL
    assert response.headers["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_language_switch_refuses_get(db):
    response = Client().get(reverse("set_language"), {"language": "zh-hans"})

    assert response.status_code == 405


def test_logged_out_user_is_sent_back_to_login(sales_client):
    response = sales_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == LOGIN_URL
    assert sales_client.get(reverse("dashboard")).status_code == 302


def test_dashboard_counts_only_the_salespersons_own_customers(sales_client, salesperson, teammate):
    CustomerFactory.create_batch(2, owner=salesperson, status="active")
    CustomerFactory(owner=teammate, status="active")

    response = sales_client.get(reverse("dashboard"))

    assert response.context["customer_total"] == 2
    active = next(s for s in response.context["customer_statuses"] if s["value"] == "active")
    assert active["count"] == 2


def test_pages_carry_a_content_security_policy_with_a_script_nonce(sales_client):
    response = sales_client.get(reverse("dashboard"))

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'nonce-" in policy
    assert "'unsafe-inline'" not in policy


def test_unknown_page_shows_the_products_not_found_page(client, salesperson):
    client.force_login(salesperson)
    response = client.get("/customers/999999999/")
    assert response.status_code == 404
    assert "belongs to a record you cannot see" in response.text


def test_money_reads_the_same_in_chinese():
    from decimal import Decimal

    from django.utils import translation

    from crm.templatetags.crm_tags import money

    with translation.override("zh-hans"):
        assert money(Decimal("1234567.5")) == "CNY 1,234,567.50"
