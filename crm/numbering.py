from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.models import NumberSequence


def next_number(prefix: str) -> str:
    """The next number of a yearly series, e.g. ``Q-2026-00042``.

    Call it inside the transaction that saves the record: the series row stays locked until
    that transaction ends, so concurrent callers wait and each gets its own number.
    """
    series = f"{prefix}-{timezone.localdate().year}"
    with transaction.atomic():
        row = NumberSequence.objects.select_for_update().filter(series=series).first()
        if row is None:
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(series=series, last=0)
            except IntegrityError:
                pass  # another transaction created the series first; lock theirs
            row = NumberSequence.objects.select_for_update().get(series=series)
        row.last += 1
        row.save(update_fields=["last"])
    return f"{series}-{row.last:05d}"
