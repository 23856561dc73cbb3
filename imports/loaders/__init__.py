"""One file row, converted (imports.fields), becomes a record: through the same services as
the pages, so an import obeys every rule a person typing the record would.

A loader decides per row: create, update the existing customer, skip, or fail, and says why
in the row's outcome. Matching an existing customer follows the duplicate warning's rules
(customers.duplicates): a salesperson matches only their own customers, and learns of a
teammate's only that one "exists elsewhere".
"""

from imports.loaders.base import Loader, RowResult, refusal
from imports.loaders.customers import CheckedRow, CustomerLoader
from imports.loaders.records import CommunicationLoader, OpportunityLoader, ProductLoader

__all__ = ["LOADERS", "CheckedRow", "Loader", "RowResult", "refusal"]

LOADERS = {
    "customers": CustomerLoader,
    "opportunities": OpportunityLoader,
    "communications": CommunicationLoader,
    "products": ProductLoader,
}
