from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communications.models import Communication
from crm.filters import CrmFilterSet
from crm.roles import salespeople


class RecordIdFilter(django_filters.NumberFilter):
    """One record's id, as links pass it (``?customer=12``): a whole number in the id range,
    kept in a hidden field. A menu of every customer would not scale."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)


# Dates outside these are read as these: the database's time range is narrower than Python's.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9000, 12, 31)


def _start_of_day(day):
    """The first moment of ``day`` in the current time zone, so the index on the datetime
    column serves the date range (``occurred_at__date`` would not use it)."""
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return timezone.make_aware(datetime.combine(day, time.min))


class CommunicationFilter(CrmFilterSet):
    FOLLOW_UP_CHOICES = [
        ("none", _("No follow-up")),
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        ("due", _("Due today or overdue")),
        ("done", _("Done")),
    ]
    DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    channel = django_filters.ChoiceFilter(choices=Communication.Channel.choices, label=_("Channel"))
    direction = django_filters.ChoiceFilter(
        choices=Communication.Direction.choices, label=_("Direction")
    )
    customer = RecordIdFilter(field_name="customer_id", label=_("Customer"))
    opportunity = RecordIdFilter(field_name="opportunity_id", label=_("Opportunity"))
    author = django_filters.ModelChoiceFilter(queryset=salespeople(), label=_("Author"))
    occurred_after = django_filters.DateFilter(
        method="filter_occurred_after", label=_("From"), widget=DATE_INPUT
    )
    occurred_before = django_filters.DateFilter(
        method="filter_occurred_before", label=_("Until"), widget=DATE_INPUT
    )
    follow_up = django_filters.ChoiceFilter(
        choices=FOLLOW_UP_CHOICES, method="filter_follow_up", label=_("Follow-up")
    )

    search_fields = ("subject", "content")
    sort_fields = {
        "occurred": ("occurred_at",),
        "subject": ("subject",),
        "channel": ("channel", "-occurred_at", "-id"),
        "customer": ("customer__name", "customer_id", "-occurred_at", "-id"),
        "follow_up": ("follow_up_on",),
    }
    default_sort = "-occurred"
    customer_sorts = {"customer": "customer__owner"}
    manager_only_filters = ("author",)

    class Meta:
        model = Communication
        fields = []

    def filter_occurred_after(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=_start_of_day(value))

    def filter_occurred_before(self, queryset, name, value):
        # The end date is included: everything before the next day begins.
        return queryset.filter(
            occurred_at__lt=_start_of_day(min(value, LATEST_DAY) + timedelta(days=1))
        )

    def filter_follow_up(self, queryset, name, value):
        today = timezone.localdate()
        if value == "none":
            return queryset.filter(follow_up_on__isnull=True)
        if value == "open":
            return queryset.open_follow_ups()
        if value == "overdue":
            return queryset.overdue(today)
        if value == "due":
            return queryset.due_by(today)
        if value == "done":
            return queryset.filter(follow_up_done=True)
        return queryset
