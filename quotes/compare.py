"""What changed between two revisions of a quote: its terms and each line.

Lines are matched first by description (the same description, in order, is the same item),
then a line reworded in the same position at the same unit price; what is left over was
added or removed.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from quotes.models import Quote, QuoteLine

#: The quote's own terms compared, with their labels, in the order the page shows them.
QUOTE_FIELDS = [
    ("valid_until", _("Valid until")),
    ("subtotal", _("Subtotal")),
    ("discount_total", _("Discount")),
    ("effective_discount_percent", _("Discount %")),
    ("total", _("Total")),
    ("terms", _("Terms")),
]
#: How the page shows each of them.
KINDS = {
    "valid_until": "date",
    "subtotal": "money",
    "discount_total": "money",
    "total": "money",
    "effective_discount_percent": "percent",
}
LINE_FIELDS = [
    ("description", _("Description")),
    ("quantity", _("Quantity")),
    ("unit_price", _("Unit price")),
    ("discount_percent", _("Discount %")),
    ("line_total", _("Line total")),
]


@dataclass
class Change:
    name: str
    label: str
    old: object
    new: object

    @property
    def kind(self) -> str:
        return KINDS.get(self.name, "text")


@dataclass
class LineDiff:
    kind: str  # "added", "removed", "changed" or "same"
    old: QuoteLine | None
    new: QuoteLine | None
    changes: list[Change] = field(default_factory=list)

    @property
    def line(self) -> QuoteLine:
        return self.new or self.old


def _changes(old, new, fields) -> list[Change]:
    return [
        Change(name, str(label), getattr(old, name), getattr(new, name))
        for name, label in fields
        if getattr(old, name) != getattr(new, name)
    ]


def _line(kind, old, new) -> LineDiff:
    changes = _changes(old, new, LINE_FIELDS) if old and new else []
    if kind == "changed" and not changes:
        kind = "same"
    return LineDiff(kind, old, new, changes)


def compare_lines(old_lines: list[QuoteLine], new_lines: list[QuoteLine]) -> list[LineDiff]:
    """Every line of both, in the new revision's order, removed ones where they stood."""
    pairs: dict[int, QuoteLine] = {}  # index in new_lines -> matched old line
    unmatched_old = list(old_lines)
    for index, line in enumerate(new_lines):
        match = next((o for o in unmatched_old if o.description == line.description), None)
        if match is not None:
            pairs[index] = match
            unmatched_old.remove(match)
    for index, line in enumerate(new_lines):
        # A line reworded where it stood, at the same price, is the same item.
        match = next(
            (
                o
                for o in unmatched_old
                if index not in pairs
                and o.position == line.position
                and o.unit_price == line.unit_price
            ),
            None,
        )
        if match is not None:
            pairs[index] = match
            unmatched_old.remove(match)
    diffs = [
        _line("changed", pairs[index], line) if index in pairs else _line("added", None, line)
        for index, line in enumerate(new_lines)
    ]
    for line in unmatched_old:
        at = next((i for i, d in enumerate(diffs) if d.line.position >= line.position), len(diffs))
        diffs.insert(at, _line("removed", line, None))
    return diffs


def compare(old: Quote, new: Quote) -> dict:
    """The differences between two revisions: ``quote`` (the terms that changed) and
    ``lines`` (every line, with its kind and changes)."""
    lines = compare_lines(list(old.lines.all()), list(new.lines.all()))
    return {
        "quote": _changes(old, new, QUOTE_FIELDS),
        "lines": lines,
        "unchanged": not any(d.kind != "same" for d in lines)
        and not _changes(old, new, QUOTE_FIELDS),
    }
