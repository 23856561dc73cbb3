"""Record-level access, one mechanism for every model.

Every model's queryset inherits `VisibleQuerySet` and names the path from the record to
its owner. Views, exports, forms and services start from ``visible_to(user)``, so a record
that is not the user's is simply not found: a 404 on a page, a refusal in a service.
"""

from django.db import models

from crm.roles import is_manager


class VisibleQuerySet(models.QuerySet):
    #: The lookup from this model to the owning user, e.g. ``"owner"`` or ``"customer__owner"``.
    owner_path = "owner"

    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if is_manager(user):
            return self.all()
        return self.filter(**{self.owner_path: user})


class VisibleObjectMixin:
    """For detail, update and action views: the object comes from ``visible_to``, so a
    record the user may not see is a 404 whatever the method."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)
