"""Panels this app adds to earlier apps' pages (registered in `CommunicationsConfig.ready`).

Each reads through the page object's reverse relations, so it shows only what the page's
visitor may already see, in a bounded number of queries.
"""

from dataclasses import dataclass
from datetime import datetime

#: The customer's timeline shows at most this many entries, newest first.
TIMELINE_ENTRIES = 30


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # "opportunity" or "communication"
    at: datetime
    record: object


def customer_timeline(request, customer) -> dict:
    """The customer's opportunities (when opened) and communications, merged newest first:
    two queries of at most ``TIMELINE_ENTRIES`` rows each."""
    opportunities = customer.opportunities.order_by("-created_at", "-id").only(
        "id", "customer_id", "name", "stage", "amount", "created_at", "closed_at"
    )[:TIMELINE_ENTRIES]
    communications = (
        customer.communications.select_related("author", "opportunity")
        .defer("content")
        .order_by("-occurred_at", "-id")[:TIMELINE_ENTRIES]
    )
    entries = [
        *(TimelineEntry("opportunity", o.created_at, o) for o in opportunities),
        *(TimelineEntry("communication", c.occurred_at, c) for c in communications),
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return {"customer": customer, "timeline": entries[:TIMELINE_ENTRIES]}


def opportunity_communications(request, opportunity) -> dict:
    """The opportunity's latest communications, newest first, in one query."""
    communications = (
        opportunity.communications.select_related("author")
        .defer("content")
        .order_by("-occurred_at", "-id")[: TIMELINE_ENTRIES + 1]
    )
    communications = list(communications)
    return {
        "opportunity": opportunity,
        "communications": communications[:TIMELINE_ENTRIES],
        "has_more": len(communications) > TIMELINE_ENTRIES,
    }
