import pytest
from django.contrib.auth.models import Group

from crm.roles import SALES, SALES_MANAGERS, is_manager


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.django_db
def test_migration_creates_both_roles_with_their_permissions():
    sales, managers = perms(SALES), perms(SALES_MANAGERS)
    assert {
        "customers.view_customer",
        "customers.add_customer",
        "customers.change_customer",
    } <= sales
    assert "customers.delete_customer" not in sales, "salespeople archive instead of deleting"
    assert "crm.view_exportlog" not in sales
    assert sales <= managers
    assert {"customers.delete_customer", "crm.view_exportlog"} <= managers


def test_manager_role_is_recognised(manager, salesperson):
    assert is_manager(manager)
    assert not is_manager(salesperson)
