"""The quotes, quote lines, orders and order lines of the synthetic data (bench.rows.RowMaker
makes them with everything else that hangs off a customer)."""

from dataclasses import dataclass

from bench import vocabulary as words
from bench.shapes import DAY, ORDER_EVERY, cents
from opportunities.stages import Stage
from orders.models import Order, OrderLine
from quotes.models import Quote, QuoteLine

_BOOKED = ("confirmed", "fulfilled", "completed")
_ORDER_STATUSES = (
    "draft",
    "pending_approval",
    "confirmed",
    "rejected",
    "fulfilled",
    "completed",
    "cancelled",
)
_ORDER_WEIGHTS = (1, 4, 8, 5, 12, 65, 5)
_QUOTE_STATUSES = (
    "draft",
    "pending_approval",
    "approved",
    "rejected",
    "sent",
    "declined",
    "expired",
    "cancelled",
)
_QUOTE_WEIGHTS = (3, 3, 2, 2, 5, 35, 35, 15)
#: Statuses of a quote still in play: such quotes are recent (valid-until not yet passed).
_RECENT_QUOTE = {"draft", "pending_approval", "approved", "rejected", "sent"}
_RECENT_ORDER = {"draft", "pending_approval", "confirmed"}


class SalesRows:
    """The part of RowMaker that makes quotes and orders (it holds ``rng``, ``users``,
    ``now`` and the helpers ``after``, ``stamp``, ``day`` and ``number``)."""

    def quote_and_order(self, index, opportunity_id, customer_id, owner, created, deal, emit, rows):
        """The quote of an opportunity, and its order when it has one. Returns the deal's
        stage that goes with them and when the deal closed, if it did."""
        rng = self.rng
        manager = rng.choice(self.users.managers)
        order_status = None
        if index % ORDER_EVERY == 0:
            status, order_status = "accepted", rng.choices(_ORDER_STATUSES, _ORDER_WEIGHTS)[0]
        else:
            status = rng.choices(_QUOTE_STATUSES, _QUOTE_WEIGHTS)[0]
        recent = status in _RECENT_QUOTE or order_status in _RECENT_ORDER
        begins = max(created, self.now - 20 * DAY) if recent else self.after(created, 90 * DAY)
        if status == "expired" and begins > self.now - 31 * DAY:
            status = "declined"  # too young to have expired
        quote_created = self.after(begins, 2 * DAY)
        submitted = self.after(quote_created, DAY) if status != "draft" else None
        decided = self.after(submitted, 2 * DAY) if status not in _UNDECIDED else None
        sent = self.after(decided, DAY) if status in _SENT else None
        closed = None
        if status in ("declined", "expired"):
            closed = self.after(sent, 30 * DAY)
        elif status == "cancelled":
            closed = self.after(decided or submitted or quote_created, 10 * DAY)
        lines = self.lines(deal)
        subtotal = sum(quantity * price for _, quantity, price, _, _ in lines)
        total = sum(line[-1] for line in lines)
        reason = rng.choice(words.REJECTION_REASONS) if status == "rejected" else ""
        stage, deal_closed = rng.choice((Stage.PROPOSAL, Stage.NEGOTIATION)), None
        if status in ("declined", "expired", "cancelled") and rng.random() < 0.7:
            stage, deal_closed = Stage.LOST, closed
        order = None
        if order_status:
            closed = self.after(sent or decided, 5 * DAY)  # the quote is accepted by the order
            order = self.order(
                index // ORDER_EVERY,
                order_status,
                customer_id=customer_id,
                quote_id=index + 1,
                total=total,
                owner=owner,
                manager=manager,
                created=closed,
            )
            if order_status in _BOOKED:
                stage, deal_closed = Stage.WON, order.confirmed
            elif order_status == "cancelled":
                stage = Stage.LOST
                deal_closed = order.last
        if not emit:
            return stage, deal_closed
        pk = index + 1
        rows[Quote].append(
            (
                pk,
                self.number("Q", quote_created),
                opportunity_id,
                customer_id,
                status,
                self.day(quote_created + 30 * DAY),
                words.QUOTE_TERMS,
                "",
                cents(subtotal),
                cents(subtotal - total),
                cents(total),
                owner,
                owner if submitted else None,
                self.stamp(submitted),
                manager if decided else None,
                self.stamp(decided),
                reason,
                "",
                self.stamp(sent),
                self.stamp(closed),
                self.stamp(quote_created),
                self.stamp(max(t for t in (quote_created, submitted, decided, sent, closed) if t)),
                owner,
                1,  # the first revision; no customer answered online
                "",
                "",
                "",
                True,
                cents(total),
            )
        )
        line_rows = [
            (
                pk,
                position,
                description,
                quantity,
                cents(price),
                discount,
                cents(line_total),
                cents(line_total),
            )
            for position, (description, quantity, price, discount, line_total) in enumerate(
                lines, start=1
            )
        ]
        rows[QuoteLine].extend(line_rows)
        if order:
            order_id = order.row[0]
            rows[Order].append((order_id, self.number("SO", order.created), *order.row[1:]))
            rows[OrderLine].extend((order_id, *line[1:]) for line in line_rows)
        return stage, deal_closed

    def lines(self, deal: str) -> list[tuple]:
        """1-5 lines: (description, quantity, unit price in cents, discount %, total in cents),
        the total rounded half up like QuoteLine.compute_total."""
        rng = self.rng
        lines = []
        for position in range(rng.randint(1, 5)):
            quantity = 1 if position == 0 else rng.randint(1, 20)
            if position == 0:
                price = rng.randrange(100, 5000) * 1000
            else:
                price = rng.randrange(10, 20_000) * 100
            discount = rng.choice((0, 0, 0, 5, 10, 15))
            total = (quantity * price * (100 - discount) + 50) // 100
            description = deal if position == 0 else rng.choice(words.SERVICE_LINES)
            lines.append((description, quantity, price, discount, total))
        return lines

    def order(self, index, status, *, customer_id, quote_id, total, owner, manager, created):
        """An order made from an accepted quote, with the timestamps its workflow sets."""
        submitted = created if status != "draft" else None
        decided = self.after(created, 2 * DAY) if status not in _UNDECIDED else None
        if status == "cancelled":
            decided = None
        confirmed = decided if status in _BOOKED else None
        fulfilled = self.after(confirmed, 20 * DAY) if status in _SHIPPED else None
        completed = self.after(fulfilled, 10 * DAY) if status == "completed" else None
        cancelled = self.after(created, 10 * DAY) if status == "cancelled" else None
        last = max(t for t in (created, decided, fulfilled, completed, cancelled) if t)
        row = (
            index + 1,
            customer_id,
            quote_id,
            status,
            cents(total),
            "",
            owner,
            owner if submitted else None,
            self.stamp(submitted),
            manager if decided else None,
            self.stamp(decided),
            "Credit limit exceeded." if status == "rejected" else "",
            self.stamp(confirmed),
            self.stamp(fulfilled),
            self.stamp(completed),
            self.stamp(cancelled),
            self.stamp(created),
            self.stamp(last),
            owner,
        )
        return _Order(row=row, created=created, confirmed=confirmed, last=last)


_UNDECIDED = {"draft", "pending_approval"}
_SENT = {"sent", "accepted", "declined", "expired"}
_SHIPPED = {"fulfilled", "completed"}


@dataclass(frozen=True)
class _Order:
    row: tuple  # without the number, which is given when the row is written
    created: float
    confirmed: float | None
    last: float
