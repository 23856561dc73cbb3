"""Panels this app adds to earlier apps' pages (registered in `QuotesConfig.ready`)."""

from opportunities.stages import Stage

#: The opportunity's page lists at most this many of its quotes, newest first.
PANEL_QUOTES = 10


def opportunity_quotes(request, opportunity) -> dict:
    """The opportunity's latest quotes in one query, and whether a new one may be made."""
    quotes = list(
        opportunity.quotes.only(
            "id", "number", "status", "total", "valid_until", "created_at", "opportunity_id"
        ).order_by("-created_at", "-id")[: PANEL_QUOTES + 1]
    )
    return {
        "opportunity": opportunity,
        "quotes": quotes[:PANEL_QUOTES],
        "has_more": len(quotes) > PANEL_QUOTES,
        "can_quote": opportunity.stage != Stage.LOST,
    }
