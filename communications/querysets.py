from datetime import date

from django.db.models import Q
from django.utils import timezone

from crm.access import VisibleQuerySet
from crm.roles import is_manager


class CommunicationQuerySet(VisibleQuerySet):
    # A salesperson sees the communications of the customers they own.
    owner_path = "customer_owner"

    def follow_ups_of(self, user):
        """The open follow-ups on ``user``'s to-do list: on their customers or written by them,
        among the communications they may see."""
        if not is_manager(user):
            # A salesperson sees only their customers' communications, so what they wrote
            # elsewhere is not theirs to follow up; one condition keeps the plan on an index.
            return self.visible_to(user).open_follow_ups()
        return self.open_follow_ups().filter(Q(customer_owner=user) | Q(author=user))

    def with_follow_up(self):
        return self.filter(follow_up_on__isnull=False)

    def open_follow_ups(self):
        return self.filter(follow_up_on__isnull=False, follow_up_done=False)

    def overdue(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.open_follow_ups().filter(follow_up_on__lt=today)

    def due_by(self, day: date | None = None):
        """Open follow-ups due on ``day`` (today by default) or before it."""
        day = day or timezone.localdate()
        return self.open_follow_ups().filter(follow_up_on__lte=day)
