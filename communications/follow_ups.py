"""The signed-in user's follow-up to-do list (reads only; changes go through services)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from communications.models import Communication
from crm.counting import count_subquery
from crm.roles import is_manager

#: "Upcoming" reaches this many days ahead; follow-ups later than that are only counted.
UPCOMING_DAYS = 30
#: The page shows at most this many follow-ups; a longer list is for the filtered list page.
FOLLOW_UPS_SHOWN = 300
#: The navigation's badge counts this many due follow-ups; more show as "99+".
BADGE_LIMIT = 99


@dataclass
class FollowUps:
    today: date
    horizon: date
    overdue: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    later_count: int = 0
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.upcoming or self.later_count)


def follow_ups_for(user, today: date | None = None) -> FollowUps:
    """``user``'s open follow-ups, grouped overdue / today / upcoming, in two queries."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=UPCOMING_DAYS)
    mine = Communication.objects.follow_ups_of(user)
    rows = list(
        mine.filter(follow_up_on__lte=horizon)
        .select_related("customer", "opportunity", "author")
        .defer("content", "customer__needs", "customer__notes", "customer__address")
        .order_by("follow_up_on", "occurred_at", "id")[: FOLLOW_UPS_SHOWN + 1]
    )
    result = FollowUps(today=today, horizon=horizon, truncated=len(rows) > FOLLOW_UPS_SHOWN)
    for communication in rows[:FOLLOW_UPS_SHOWN]:
        if communication.follow_up_on < today:
            result.overdue.append(communication)
        elif communication.follow_up_on == today:
            result.due_today.append(communication)
        else:
            result.upcoming.append(communication)
    result.later_count = mine.filter(follow_up_on__gt=horizon).count()
    return result


def due_count(user, today: date | None = None) -> int:
    """How many of ``user``'s open follow-ups are due today or overdue (the navigation badge,
    on every page); a salesperson's up to ``BADGE_LIMIT`` + 1, which the badge shows as "99+".

    Each condition is written once: repeated ones mislead PostgreSQL's row estimate into a
    scan of every dated follow-up (285 ms at 3M communications instead of 11 ms). A manager's
    "on my customers or written by me" is counted as two index-backed counts, because an OR
    across the join to customers defeats every index. A salesperson's count reads the partial
    index ``comm_co_open_follow_up`` (the owner is copied onto each communication).
    """
    today = today or timezone.localdate()
    due = Communication.objects.filter(
        follow_up_on__isnull=False, follow_up_done=False, follow_up_on__lte=today
    )
    on_my_customers = due.filter(customer_owner=user)
    if not is_manager(user):
        # Counted up to the badge's limit: a salesperson with thousands due would otherwise
        # have them counted on every page (15-20 ms at 3M communications).
        return on_my_customers.order_by()[: BADGE_LIMIT + 1].count()
    both = count_subquery(on_my_customers.exclude(author=user)) + count_subquery(
        due.filter(author=user)
    )
    return get_user_model().objects.filter(pk=user.pk).values_list(both, flat=True).first() or 0
