"""crm.lookups.AnyOf: a list of values as one array, whatever the values hold."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from crm.lookups import AnyOf
from customers.models import Tag

pytestmark = pytest.mark.django_db

AWKWARD = ["a,b", "{x}", "it's", "back\\slash", '"quoted"', "NULL", "空 格"]


def test_values_that_array_syntax_would_misread_are_matched_exactly():
    for name in [*AWKWARD, "other"]:
        Tag.objects.create(name=name)

    with CaptureQueriesContext(connection) as queries:
        found = Tag.objects.filter(AnyOf(F("name"), AWKWARD)).values_list("name", flat=True)
        found = sorted(found)

    assert found == sorted(AWKWARD)
    if connection.vendor == "postgresql":
        assert "= ANY(" in queries.captured_queries[-1]["sql"]


@pytest.mark.parametrize("names", [[], ["one"]])
def test_none_or_one_value_is_the_in_it_stands_for(names):
    Tag.objects.create(name="one")

    with CaptureQueriesContext(connection) as queries:
        found = list(Tag.objects.filter(AnyOf(F("name"), names)).values_list("name", flat=True))

    assert found == names
    assert all("ANY" not in query["sql"] for query in queries.captured_queries)
