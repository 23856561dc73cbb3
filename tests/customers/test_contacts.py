"""People at a customer: added on the customer's page, edited, removed; one primary."""

from django.urls import reverse
from django.utils import timezone

from customers.models import Contact
from tests.factories import ContactFactory, CustomerFactory


def contact_data(**overrides):
    return {"name": "Emily Carter", "title": "CFO", "email": "", "phone": "", **overrides}


def add_contact(client, customer, **overrides):
    return client.post(
        reverse("customers:contact_create", args=[customer.pk]), contact_data(**overrides)
    )


def test_owner_adds_a_contact_and_sees_it_on_the_customers_page(sales_client, customer):
    response = add_contact(sales_client, customer, name="王芳", email="wang.fang@example.cn")

    assert response.status_code == 302
    assert response.url == reverse("customers:detail", args=[customer.pk])
    page = sales_client.get(response.url).content.decode()
    assert "王芳" in page
    assert "wang.fang@example.cn" in page


def test_invalid_contact_email_redisplays_customer_page_with_error(sales_client, customer):
    response = add_contact(sales_client, customer, email="not-an-email")

    assert response.status_code == 400
    assert response.context["customer"] == customer
    assert response.context["contact_form"].errors["email"]
    content = response.content.decode()
    assert customer.name in content
    assert 'value="Emily Carter"' in content, "what was typed is kept"
    assert not Contact.objects.exists()


def test_contact_without_name_is_refused(sales_client, customer):
    response = add_contact(sales_client, customer, name="")

    assert response.status_code == 400
    assert response.context["contact_form"].errors["name"]
    assert not Contact.objects.exists()


def test_no_contact_can_be_added_to_an_archived_customer(sales_client, salesperson):
    archived = CustomerFactory(owner=salesperson, archived_at=timezone.now())

    response = add_contact(sales_client, archived)

    assert response.status_code == 404
    assert not Contact.objects.exists()


def test_owner_edits_a_contact(sales_client, customer):
    contact = ContactFactory(customer=customer, name="Old Name", title="Buyer")
    url = reverse("customers:contact_update", args=[contact.pk])

    assert sales_client.get(url).status_code == 200
    response = sales_client.post(url, contact_data(name="New Name", title="Head of buying"))

    assert response.status_code == 302
    assert response.url == reverse("customers:detail", args=[customer.pk])
    contact.refresh_from_db()
    assert (contact.name, contact.title) == ("New Name", "Head of buying")


def test_invalid_contact_edit_shows_error_and_keeps_contact(sales_client, customer):
    contact = ContactFactory(customer=customer, email="right@example.com")

    response = sales_client.post(
        reverse("customers:contact_update", args=[contact.pk]),
        contact_data(email="wrong@"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    contact.refresh_from_db()
    assert contact.email == "right@example.com"


def test_owner_removes_a_contact(sales_client, customer):
    contact = ContactFactory(customer=customer)
    kept = ContactFactory(customer=customer)

    response = sales_client.post(reverse("customers:contact_delete", args=[contact.pk]))

    assert response.status_code == 302
    assert response.url == reverse("customers:detail", args=[customer.pk])
    assert list(customer.contacts.all()) == [kept]


def test_new_primary_contact_replaces_the_previous_primary(sales_client, customer):
    first = ContactFactory(customer=customer, is_primary=True)

    add_contact(sales_client, customer, name="New Boss", is_primary="on")

    first.refresh_from_db()
    assert not first.is_primary
    assert list(customer.contacts.filter(is_primary=True).values_list("name", flat=True)) == [
        "New Boss"
    ]


def test_editing_a_contact_into_primary_unmarks_the_previous_primary(sales_client, customer):
    first = ContactFactory(customer=customer, is_primary=True)
    second = ContactFactory(customer=customer, is_primary=False)

    response = sales_client.post(
        reverse("customers:contact_update", args=[second.pk]),
        contact_data(name=second.name, is_primary="on"),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)


def test_primary_contact_of_another_customer_is_untouched(sales_client, customer, salesperson):
    elsewhere = ContactFactory(customer=CustomerFactory(owner=salesperson), is_primary=True)

    add_contact(sales_client, customer, is_primary="on")

    elsewhere.refresh_from_db()
    assert elsewhere.is_primary


def test_resaving_the_primary_contact_keeps_it_primary(sales_client, customer):
    primary = ContactFactory(customer=customer, is_primary=True)

    sales_client.post(
        reverse("customers:contact_update", args=[primary.pk]),
        contact_data(name=primary.name, title="CEO", is_primary="on"),
    )

    primary.refresh_from_db()
    assert primary.is_primary
    assert primary.title == "CEO"


def test_manager_adds_a_contact_to_a_salespersons_customer(manager_client, customer):
    add_contact(manager_client, customer, name="Added By Manager")

    assert customer.contacts.get().name == "Added By Manager"
