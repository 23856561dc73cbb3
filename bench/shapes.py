"""How many rows of each kind hang off customer number ``i`` of the synthetic data (bench.rows
makes them): fixed by ``i`` alone, so any range of customers can be made on its own."""

from itertools import accumulate

#: Customers per random generator: the unit of determinism.
BLOCK = 1_000
#: Opportunities and communications of ten consecutive customers: 10 and 30 in all.
OPPORTUNITIES_PER_TEN = (1, 0, 2, 1, 1, 0, 1, 2, 1, 1)
COMMUNICATIONS_PER_TEN = (3, 1, 5, 3, 2, 4, 3, 2, 4, 3)
#: Opportunity j has a quote when j % 5 == 0; quote k has an order when k % 2 == 0.
QUOTE_EVERY, ORDER_EVERY = 5, 2
YEARS = 3
DAY = 86_400.0

OPPORTUNITY_OFFSETS = (0, *accumulate(OPPORTUNITIES_PER_TEN))
COMMUNICATION_OFFSETS = (0, *accumulate(COMMUNICATIONS_PER_TEN))


def rows_before(offsets, customer_index: int) -> int:
    """Rows of a per-customer pattern that the first ``customer_index`` customers have."""
    tens, rest = divmod(customer_index, 10)
    return tens * offsets[10] + offsets[rest]


def cents(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"
