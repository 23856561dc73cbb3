"""The quotes app's models, one module per concern; Django finds them (and every other
module imports them) here."""

from quotes.models.approval_rules import ApprovalRule
from quotes.models.quote import Quote, QuoteLine

__all__ = ["ApprovalRule", "Quote", "QuoteLine"]
