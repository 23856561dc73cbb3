"""The rows of the synthetic data, made one block of customers at a time (bench.generate
loads them).

What hangs off customer number ``i`` is fixed by ``i`` alone: ``OPPORTUNITIES_PER_TEN`` and
``COMMUNICATIONS_PER_TEN`` give how many deals and communications it has (1 and 3 on average),
opportunity ``j`` has a quote when ``j % QUOTE_EVERY == 0`` and quote ``k`` an order when
``k % ORDER_EVERY == 0``; ids are the running numbers plus one. The values come from one random
generator per block of ``BLOCK`` customers, so any range of customers can be made on its own.
"""

import random
from datetime import UTC, date, datetime
from itertools import accumulate

from django.utils import timezone

from bench import vocabulary as words
from bench.sales_rows import SalesRows
from bench.shapes import (
    BLOCK,
    COMMUNICATION_OFFSETS,
    COMMUNICATIONS_PER_TEN,
    DAY,
    OPPORTUNITIES_PER_TEN,
    OPPORTUNITY_OFFSETS,
    QUOTE_EVERY,
    YEARS,
    cents,
    rows_before,
)
from communications.models import Communication
from crm.models import NumberSequence
from customers.models import Contact, Customer
from customers.querysets import email_key, name_key
from opportunities.models import Opportunity
from opportunities.stages import OPEN_STAGES, STAGE_PROBABILITY, Stage
from orders.models import Order, OrderLine
from quotes.models import Quote, QuoteLine

# Columns written per table, in the order the row tuples hold them. ``weighted_amount`` is
# absent on purpose: PostgreSQL computes it.
COLUMNS = {
    Customer: (
        "id name name_key kind industry source status rating owner phone phone_normalized email "
        "email_key website address needs notes external_id archived_at created_at updated_at"
    ),
    Contact: "customer name title email phone is_primary created_at updated_at",
    Customer.tags.through: "customer tag",
    Opportunity: (
        "id customer name amount stage probability probability_is_custom expected_close_date "
        "owner next_step description lost_reason closed_at created_at updated_at customer_owner"
    ),
    Quote: (
        "id number opportunity customer status valid_until terms notes subtotal discount_total "
        "total created_by submitted_by submitted_at decided_by decided_at decision_reason "
        "auto_approved_by_rule sent_at closed_at created_at updated_at customer_owner revision "
        "customer_name customer_reason customer_user_agent customer_answer_seen net_total"
    ),
    # No tax on generated lines: the net is the total.
    QuoteLine: (
        "quote position description quantity unit_price discount_percent line_total net_amount"
    ),
    Order: (
        "id number customer quote status total notes created_by submitted_by submitted_at "
        "decided_by decided_at decision_reason confirmed_at fulfilled_at completed_at "
        "cancelled_at created_at updated_at customer_owner"
    ),
    OrderLine: (
        "order position description quantity unit_price discount_percent line_total net_amount"
    ),
    Communication: (
        "id customer opportunity channel direction subject content occurred_at author "
        "follow_up_on follow_up_done follow_up_done_at created_at updated_at customer_owner"
    ),
}


class RowMaker(SalesRows):
    """Makes the rows of one block of customers at a time, with everything that hangs off them."""

    def __init__(self, *, seed, users, tag_ids):
        self.seed = seed
        self.users = users
        self.tag_ids = tag_ids
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localdate()
        start_of_today = datetime.combine(self.today, datetime.min.time(), tzinfo=self.tz)
        self.now = start_of_today.timestamp()  # the data ends where today begins
        self.window = YEARS * 365 * DAY
        # A few salespeople carry more customers than others, as in a real team.
        weights = [1 + (k * 7 % 10) / 5 for k in range(len(users.salespeople))]
        self.owner_weights = list(accumulate(weights))
        self.numbers: dict[str, int] = {}
        self.rng = random.Random()

    # -- helpers -----------------------------------------------------------------------------

    def after(self, start: float, span: float | None = None) -> float:
        """A moment between ``start`` and now (at most ``span`` seconds later)."""
        room = self.now - start
        if span is not None and span < room:
            room = span
        return start + self.rng.random() * max(room, 0.0)

    def stamp(self, seconds: float | None):
        return None if seconds is None else datetime.fromtimestamp(seconds, UTC)

    def day(self, seconds: float) -> date:
        return datetime.fromtimestamp(seconds, self.tz).date()

    def number(self, prefix: str, seconds: float) -> str:
        """The next number of the app's yearly series (crm.numbering), e.g. Q-2025-00042."""
        series = f"{prefix}-{datetime.fromtimestamp(seconds, self.tz).year}"
        last = self.numbers.get(series)
        if last is None:
            last = (
                NumberSequence.objects.filter(series=series).values_list("last", flat=True).first()
                or 0
            )
        self.numbers[series] = last + 1
        return f"{series}-{last + 1:05d}"

    # -- rows --------------------------------------------------------------------------------

    def block(self, block: int, start: int, end: int, rows: dict) -> None:
        """Customers ``block * BLOCK ...`` up to ``end``; rows only for those from ``start``."""
        self.rng = random.Random(f"{self.seed}:{block}")
        first = block * BLOCK
        for index in range(first, min(first + BLOCK, end)):
            self.customer(index, index >= start, rows)

    def customer(self, index: int, emit: bool, rows: dict) -> None:
        rng = self.rng
        pk = index + 1
        created = self.now - rng.random() * self.window
        updated = self.after(created)
        individual = rng.random() < 0.2
        name = words.person_name(rng) if individual else words.company_name(rng)
        phone, digits = words.phone(rng)
        if individual:
            email = f"{rng.choice(words.EN_FIRST).lower()}.{pk}@example.com"
            website = ""
        else:
            email = f"info{pk}@{rng.choice(('163.com', 'qq.com', 'example.cn', 'example.com'))}"
            website = f"https://www.c{pk}.example.com" if rng.random() < 0.5 else ""
        owner = rng.choices(self.users.salespeople, cum_weights=self.owner_weights)[0]
        status = rng.choices(("lead", "prospect", "active", "inactive"), (4, 3, 5, 1))[0]
        archived_at = self.after(updated) if rng.random() < 0.02 else None
        row = (
            pk,
            name,
            name_key(name),
            "individual" if individual else "company",
            rng.choice(Customer.Industry.values),
            rng.choice(Customer.Source.values),
            status,
            rng.choice(("A", "B", "B", "C", "C", "D", "")),
            owner,
            phone,
            digits,
            email,
            email_key(email),
            website,
            rng.choice(words.ADDRESSES),
            rng.choice(words.NEEDS),
            "",
            "",
            self.stamp(archived_at),
            self.stamp(created),
            self.stamp(max(updated, archived_at or 0)),
        )
        contacts = [] if individual else self.contacts(pk, created)
        tag = rng.choice(self.tag_ids) if rng.random() < 1 / 3 else None
        opportunity_ids = []
        first_opportunity = rows_before(OPPORTUNITY_OFFSETS, index)
        for k in range(OPPORTUNITIES_PER_TEN[index % 10]):
            opportunity_ids.append(
                self.opportunity(first_opportunity + k, pk, owner, created, emit, rows)
            )
        first_communication = rows_before(COMMUNICATION_OFFSETS, index)
        communications = [
            self.communication(first_communication + k, pk, owner, created, opportunity_ids)
            for k in range(COMMUNICATIONS_PER_TEN[index % 10])
        ]
        if emit:
            rows[Customer].append(row)
            rows[Contact].extend(contacts)
            if tag:
                rows[Customer.tags.through].append((pk, tag))
            rows[Communication].extend(communications)

    def contacts(self, customer_id: int, created: float) -> list[tuple]:
        rng = self.rng
        contacts = []
        for position in range(rng.choice((0, 1, 1, 2, 3))):
            stamp = self.stamp(self.after(created))
            contacts.append(
                (
                    customer_id,
                    words.person_name(rng),
                    rng.choice(words.TITLES),
                    f"contact{customer_id}-{position}@example.com" if rng.random() < 0.7 else "",
                    words.phone(rng)[0],
                    position == 0,
                    stamp,
                    stamp,
                )
            )
        return contacts

    def opportunity(self, index, customer_id, owner, customer_created, emit, rows) -> int:
        rng = self.rng
        pk = index + 1
        # Deals and quotes follow soon after what they hang off, so that they spread over the
        # three years like the customers do, rather than piling up in the last months.
        created = self.after(customer_created, 365 * DAY)
        deal = rng.choice(words.DEAL_NAMES)
        amount = rng.randrange(20, 4000) * 50_000  # cents: 10,000 to 2,000,000
        closed_at = None
        if index % QUOTE_EVERY:
            stage = rng.choices((*OPEN_STAGES, Stage.WON, Stage.LOST), (4, 4, 3, 2, 2, 1))[0]
        else:
            stage, closed_at = self.quote_and_order(
                index // QUOTE_EVERY, pk, customer_id, owner, created, deal, emit, rows
            )
        if stage in (Stage.WON, Stage.LOST) and closed_at is None:
            closed_at = self.after(created)
        probability, custom = STAGE_PROBABILITY[stage], False
        if stage in OPEN_STAGES and rng.random() < 0.05:
            probability, custom = rng.randrange(5, 96), True
        row = (
            pk,
            customer_id,
            deal,
            cents(amount),
            stage,
            probability,
            custom,
            self.day(created + rng.randrange(30, 300) * DAY),
            owner,
            rng.choice(words.NEXT_STEPS) if stage in OPEN_STAGES else "",
            "",
            rng.choice(words.LOST_REASONS) if stage == Stage.LOST else "",
            self.stamp(closed_at),
            self.stamp(created),
            self.stamp(max(self.after(created), closed_at or 0)),
            owner,
        )
        if emit:
            rows[Opportunity].append(row)
        return pk

    def communication(self, index, customer_id, owner, customer_created, opportunity_ids):
        rng = self.rng
        channel, direction, subject, content = rng.choice(words.CONVERSATIONS)
        occurred = self.after(customer_created)
        extra = rng.choice(words.MORE_CONTENT)
        if extra:
            content = f"{content} {extra}"
        if rng.random() < 0.1:
            content = f"{content} Ref. PO-{rng.randrange(10**6):06d}."
        opportunity = (
            rng.choice(opportunity_ids) if opportunity_ids and rng.random() < 0.6 else None
        )
        author = owner if rng.random() < 0.95 else rng.choice(self.users.salespeople)
        follow_up_on, done, done_at = None, False, None
        if rng.random() < 0.15:
            due = occurred + rng.randint(1, 14) * DAY
            follow_up_on = self.day(due)
            if follow_up_on < self.today:
                done = rng.random() < (0.99 if due < self.now - 30 * DAY else 0.5)
                done_at = self.after(due, 2 * DAY) if done else None
        created = min(occurred + rng.random() * 3600, self.now)
        return (
            index + 1,
            customer_id,
            opportunity,
            channel,
            direction,
            subject,
            content,
            self.stamp(occurred),
            author,
            follow_up_on,
            done,
            self.stamp(done_at),
            self.stamp(created),
            self.stamp(max(created, done_at or 0)),
            owner,
        )
