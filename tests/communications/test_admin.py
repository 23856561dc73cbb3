from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from crm.roles import SALES, SALES_MANAGERS
from tests.factories import CommunicationFactory


def test_roles_hold_the_communication_permissions(db):
    def codenames(name):
        return set(
            Group.objects.get(name=name)
            .permissions.filter(content_type__app_label="communications")
            .values_list("codename", flat=True)
        )

    assert codenames(SALES) == {
        "view_communication",
        "add_communication",
        "change_communication",
    }
    assert codenames(SALES_MANAGERS) == codenames(SALES) | {"delete_communication"}


def test_manager_uses_the_changelist_with_filters_and_search(manager_client, communication):
    url = reverse("admin:communications_communication_changelist")
    response = manager_client.get(url)
    assert response.status_code == 200
    assert communication.subject in response.text
    for query in (
        f"?q={communication.customer.name}",
        "?channel__exact=phone&follow_up_done__exact=0",
        f"?author__id__exact={communication.author_id}",
    ):
        response = manager_client.get(url + query)
        assert response.status_code == 200, query
        assert communication.subject in response.text, query


def test_manager_opens_the_change_form_without_a_menu_of_customers(manager_client, communication):
    url = reverse("admin:communications_communication_change", args=[communication.pk])
    response = manager_client.get(url)
    assert response.status_code == 200
    assert "admin-autocomplete" in response.text
    assert "vForeignKeyRawIdAdminField" in response.text


def test_admin_action_marks_follow_ups_done(manager_client, customer):
    due = CommunicationFactory(customer=customer, follow_up_on=timezone.localdate())
    without = CommunicationFactory(customer=customer)
    response = manager_client.post(
        reverse("admin:communications_communication_changelist"),
        {"action": "mark_follow_ups_done", "_selected_action": [due.pk, without.pk]},
        follow=True,
    )
    assert response.status_code == 200
    due.refresh_from_db()
    without.refresh_from_db()
    assert due.follow_up_done and due.follow_up_done_at
    assert not without.follow_up_done


def test_salespeople_have_no_admin(sales_client, communication):
    response = sales_client.get(reverse("admin:communications_communication_changelist"))
    assert response.status_code == 302
