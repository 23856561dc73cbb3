"""Creating and editing customers through the form, and the duplicate warning."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from customers.models import Customer
from tests.factories import CustomerFactory, TagFactory, customer_form_data

CREATE_URL = reverse("customers:create")


def form_errors(response, field):
    return response.context["form"].errors.get(field, [])


def duplicate_warning(response) -> str:
    """The text of the duplicate warning box, or "" when there is none."""
    content = response.content.decode()
    match = re.search(
        r'<div[^>]*id="duplicate-warning".*?</label>\s*</div>\s*</div>', content, re.S
    )
    return match.group(0) if match else ""


# --- create -----------------------------------------------------------------------------


def test_salesperson_creates_customer_they_own_and_lands_on_its_page(sales_client, salesperson):
    vip = TagFactory(name="VIP")

    response = sales_client.post(
        CREATE_URL,
        customer_form_data(name="上海华腾科技有限公司", phone="+86 138 0013 8000", tags=[vip.pk]),
    )

    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("customers:detail", args=[customer.pk])
    assert customer.owner == salesperson
    assert customer.name == "上海华腾科技有限公司"
    assert list(customer.tags.all()) == [vip]
    assert customer.phone_normalized == "8613800138000"


def test_create_page_opens_empty(sales_client):
    response = sales_client.get(CREATE_URL)

    assert response.status_code == 200
    assert 'name="name"' in response.content.decode()


def test_invalid_email_is_a_field_error_and_creates_nothing(sales_client):
    response = sales_client.post(CREATE_URL, customer_form_data(email="not-an-email"))

    assert response.status_code == 200
    assert form_errors(response, "email")
    assert not Customer.objects.exists()


def test_name_longer_than_200_characters_is_a_field_error(sales_client):
    response = sales_client.post(CREATE_URL, customer_form_data(name="x" * 201))

    assert form_errors(response, "name")
    assert not Customer.objects.exists()


def test_name_is_required(sales_client):
    response = sales_client.post(CREATE_URL, customer_form_data(name="   "))

    assert form_errors(response, "name")
    assert not Customer.objects.exists()


def test_unknown_status_is_a_field_error(sales_client):
    response = sales_client.post(CREATE_URL, customer_form_data(status="won"))

    assert form_errors(response, "status")
    assert not Customer.objects.exists()


def test_posted_owner_archive_and_normalised_phone_are_ignored(sales_client, salesperson, teammate):
    sales_client.post(
        CREATE_URL,
        customer_form_data(
            phone="021-5555 0101",
            owner=teammate.pk,
            archived_at="2020-01-01T00:00:00Z",
            phone_normalized="999",
            created_at="2000-01-01T00:00:00Z",
        ),
    )

    customer = Customer.objects.get()
    assert customer.owner == salesperson
    assert customer.archived_at is None
    assert customer.phone_normalized == "02155550101"
    assert customer.created_at.year == timezone.now().year


# --- update -----------------------------------------------------------------------------


def test_owner_edits_customer_and_the_change_is_saved(sales_client, customer):
    response = sales_client.post(
        reverse("customers:update", args=[customer.pk]),
        customer_form_data(name="Renamed Ltd", status="active", email=customer.email),
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.status) == ("Renamed Ltd", "active")


def test_edit_form_shows_current_values(sales_client, customer):
    response = sales_client.get(reverse("customers:update", args=[customer.pk]))

    assert customer.name in response.content.decode()
    assert response.context["form"].initial["email"] == customer.email


def test_editing_cannot_change_owner_or_archive_state(sales_client, customer, teammate):
    sales_client.post(
        reverse("customers:update", args=[customer.pk]),
        customer_form_data(owner=teammate.pk, archived_at="2020-01-01T00:00:00Z"),
    )

    customer.refresh_from_db()
    assert customer.owner != teammate
    assert customer.archived_at is None


def test_editing_a_customer_does_not_warn_about_itself(sales_client, customer):
    response = sales_client.post(
        reverse("customers:update", args=[customer.pk]),
        customer_form_data(name="Same contacts", email=customer.email, phone=customer.phone),
    )

    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.name == "Same contacts"


def test_manager_edits_a_salespersons_customer_without_taking_it_over(
    manager_client, customer, salesperson
):
    manager_client.post(
        reverse("customers:update", args=[customer.pk]), customer_form_data(name="Checked")
    )

    customer.refresh_from_db()
    assert customer.name == "Checked"
    assert customer.owner == salesperson


# --- duplicates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "posted"),
    [
        ({"email": "Sales@Acme.com"}, {"email": "sales@acme.COM"}),
        ({"phone": "+86 138 0013 8000"}, {"phone": "8613800138000"}),
        ({"phone": "+86 138 0013 8000"}, {"phone": "0086-138-0013-8000"}),
        ({"phone": "0086-138-0013-8000"}, {"phone": "+86 (138) 0013.8000"}),
    ],
    ids=["email-case", "phone-plus", "phone-00", "phone-punctuation"],
)
def test_duplicate_email_or_phone_warns_and_saves_nothing(
    sales_client, salesperson, existing, posted
):
    CustomerFactory(owner=salesperson, name="Acme Original", **existing)

    response = sales_client.post(CREATE_URL, customer_form_data(name="Acme Again", **posted))

    assert response.status_code == 200
    assert duplicate_warning(response)
    assert not Customer.objects.filter(name="Acme Again").exists()


def test_confirmed_duplicate_is_saved(sales_client, salesperson):
    CustomerFactory(owner=salesperson, email="sales@acme.com")

    response = sales_client.post(
        CREATE_URL,
        customer_form_data(name="Acme Branch", email="SALES@acme.com", confirm_duplicate="on"),
    )

    assert response.status_code == 302
    assert Customer.objects.filter(email__iexact="sales@acme.com").count() == 2


def test_duplicate_warning_keeps_confirm_box_for_the_second_try(sales_client, salesperson):
    CustomerFactory(owner=salesperson, email="sales@acme.com")

    response = sales_client.post(CREATE_URL, customer_form_data(email="sales@acme.com"))

    assert 'name="confirm_duplicate"' in duplicate_warning(response)


def test_salesperson_warning_about_teammates_customer_reveals_nothing_about_it(
    sales_client, teammate
):
    hidden = CustomerFactory(
        owner=teammate,
        name="Secret Prospect GmbH",
        email="ceo@secret-prospect.example.com",
        phone="+86 138 0013 8000",
    )

    response = sales_client.post(
        CREATE_URL, customer_form_data(name="My New Lead", phone="8613800138000")
    )

    content = response.content.decode()
    assert duplicate_warning(response)
    assert "another salesperson" in duplicate_warning(response)
    assert hidden.name not in content
    assert hidden.email not in content
    assert teammate.get_full_name() not in content
    assert reverse("customers:detail", args=[hidden.pk]) not in content
    assert not Customer.objects.filter(name="My New Lead").exists()


def test_manager_warning_names_the_duplicate_and_its_owner(manager_client, teammate):
    CustomerFactory(owner=teammate, name="Secret Prospect GmbH", email="ceo@secret.example.com")

    response = manager_client.post(
        CREATE_URL, customer_form_data(name="Another", email="CEO@secret.example.com")
    )

    warning = duplicate_warning(response)
    assert "Secret Prospect GmbH" in warning
    assert teammate.get_full_name() in warning


def test_salesperson_warning_names_their_own_duplicate(sales_client, salesperson):
    CustomerFactory(owner=salesperson, name="My Earlier Entry", phone="+86 138 0013 8000")

    response = sales_client.post(CREATE_URL, customer_form_data(phone="8613800138000"))

    assert "My Earlier Entry" in duplicate_warning(response)


def test_editing_into_another_customers_email_warns(sales_client, salesperson, customer):
    other = CustomerFactory(owner=salesperson, name="Other Co", email="buyer@other.example.com")

    response = sales_client.post(
        reverse("customers:update", args=[customer.pk]),
        customer_form_data(name=customer.name, email=other.email),
    )

    assert "Other Co" in duplicate_warning(response)
    customer.refresh_from_db()
    assert customer.email != other.email


def test_archived_customer_still_counts_as_a_duplicate(sales_client, salesperson):
    CustomerFactory(
        owner=salesperson,
        name="Old Archived",
        email="old@example.com",
        archived_at=timezone.now(),
    )

    response = sales_client.post(CREATE_URL, customer_form_data(email="old@example.com"))

    assert "Old Archived" in duplicate_warning(response)
