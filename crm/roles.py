"""The two roles of the product and the permissions each holds.

Groups are created by data migrations: `crm` creates them, and each domain app's own
migration grants its permissions through `grant_permissions`, so an app brings its rights
with it and nothing here has to know the later apps.
"""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

SALES = "Sales"
SALES_MANAGERS = "Sales managers"

ROLE_LABELS = {SALES: _("Sales"), SALES_MANAGERS: _("Sales managers")}


def is_manager(user) -> bool:
    """Managers see every record; the answer is cached on the user object for the request."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_crm_is_manager", None)
    if cached is None:
        cached = user.is_superuser or user.groups.filter(name=SALES_MANAGERS).exists()
        user._crm_is_manager = cached
    return cached


def in_managers(user_path: str):
    """Whether the user at ``user_path`` of a query's rows is in the Sales managers role, to
    be read with the user in one query (`knows_manager` then spares is_manager its own)."""
    from django.contrib.auth.models import Group

    return Exists(Group.objects.filter(name=SALES_MANAGERS, user=OuterRef(user_path)))


def knows_manager(user, in_role: bool) -> None:
    """Record on ``user`` what `in_managers` answered for them, as is_manager would."""
    user._crm_is_manager = user.is_superuser or in_role


def salespeople():
    """Active users of either role: the people records can be assigned to and filtered by."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[SALES, SALES_MANAGERS])
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def grant_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Give each named group the listed ``app_label.codename`` permissions.

    For use inside data migrations (``apps`` is the historical registry). Permissions are
    normally created after the last migration runs, so they are created here first.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, dotted_names in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        for dotted in dotted_names:
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            group.permissions.add(permission)
