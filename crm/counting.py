"""Counting that PostgreSQL can answer from an index alone.

``COUNT(id)`` makes PostgreSQL read each row's id, which an index without that column does
not hold; ``COUNT(*)`` or ``COUNT(1)`` does not. A count as a subquery with no ``GROUP BY``
always returns one row, so several counts can share one statement.
"""

from django.db.models import Func, IntegerField, Subquery, Value

#: What ``Count(ROW, filter=...)`` counts: a constant, not a column (Django refuses
#: ``Count("*")`` with a filter).
ROW = Value(1)


def count_subquery(queryset) -> Subquery:
    """``SELECT COUNT(*) FROM (queryset's rows)`` as an expression."""
    counted = (
        queryset.order_by().annotate(n=Func(template="COUNT(*)", output_field=IntegerField()))
    ).values("n")
    return Subquery(counted, output_field=IntegerField())
