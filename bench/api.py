"""The HTTP API's lists in ``make bench`` (issue 12): the same goals as the list pages.

Each list of /api/v1/ is measured as a salesperson and as a manager, each with a token in
``Authorization`` (the test client sends it; the session cookie the pages use is ignored by
the API): the first page, one filter, a search, a sort, and a page deep in a cursor walk
(the cursor of the row ``DEEP_ROWS`` rows in, as the walk would have handed it). Timings go
into the same table and JSON as the pages (area ``api <list>``, bench.report), and for the
first and the deep page the list's statement is explained (``EXPLAIN (ANALYZE, BUFFERS)``):
a cursor page must read the sort's index, with no Seq Scan and no Sort of the rows.
"""

import re
from dataclasses import dataclass, replace
from datetime import timedelta
from urllib.parse import urlencode

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.models import ApiToken
from api.tokens import issue_token
from api.v1.lists import DEFAULT_LIMIT, encode_cursor, sort_columns
from bench.measure import Scenario, explain, search_terms
from communications.filters import CommunicationFilter
from communications.models import Communication
from crm.listing import build_filterset
from customers.filters import CustomerFilter
from customers.models import Customer
from opportunities.filters import OpportunityFilter
from opportunities.models import Opportunity
from orders.filters import OrderFilter
from orders.models import Order
from quotes.filters import QuoteFilter
from quotes.models import Quote

#: How deep in the walk the deep page starts: what 100 pages of 50 reach.
DEEP_ROWS = 5_000
DEEP_LABEL = "cursor page at row 5,000"
#: Stands for the deep page's cursor in a scenario until it is measured.
DEEP = "DEEP"
TOKEN_NAME = "make bench"
#: Rows a page's statement reads: the page and one more (does a next page exist).
PAGE_ROWS = DEFAULT_LIMIT + 1


@dataclass(frozen=True)
class ApiListSpec:
    name: str
    model: type
    filterset_class: type
    filtered: dict
    sort: str


LISTS = (
    ApiListSpec("customers", Customer, CustomerFilter, {"status": "active"}, "name"),
    ApiListSpec(
        "opportunities", Opportunity, OpportunityFilter, {"stage": "negotiation"}, "-amount"
    ),
    ApiListSpec(
        "communications", Communication, CommunicationFilter, {"channel": "meeting"}, "subject"
    ),
    ApiListSpec("quotes", Quote, QuoteFilter, {"status": "pending_approval"}, "-total"),
    ApiListSpec("orders", Order, OrderFilter, {"status": "confirmed"}, "-total"),
)


def bearer(user) -> str:
    """``Bearer <key>`` of a new token of ``user`` (the bench's earlier ones are deleted).

    Its "last used" is set a day ahead: a token notes its use at most once a minute (one
    UPDATE), which would land on whichever page a minute ends in and make its query count
    differ between the two sizes."""
    ApiToken.objects.filter(user=user, name=TOKEN_NAME).delete()
    token, key = issue_token(user=user, name=TOKEN_NAME)
    ahead = timezone.now() + timedelta(days=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=ahead)
    return f"Bearer {key}"


def deep_cursor(spec: ApiListSpec, user, rows: int = DEEP_ROWS) -> str | None:
    """The cursor a walk of ``user``'s list (default sort) hands out after ``rows`` rows (or
    after the last row but one, on a shorter list); read here with an OFFSET, once."""
    request = RequestFactory().get(f"/api/v1/{spec.name}/")
    request.user = user
    queryset = spec.model.objects.visible_to(user)
    filterset = build_filterset(spec.filterset_class, request, queryset)
    columns = sort_columns(spec.model, filterset.ordering())
    keys = filterset.qs.values_list(*[path for path, _descending, _field in columns])
    passed = list(keys[:rows])  # sort columns only, read through the sort's index
    if len(passed) < 2:
        return None
    last = passed[-1] if len(passed) == rows else passed[-2]
    return encode_cursor(filterset.sort, list(last))


def order_number(user) -> str:
    """An order's number to search for, as for the quotes (bench.measure.search_terms)."""
    numbers = Order.objects.visible_to(user).order_by("id").values_list("number", flat=True)
    found = list(numbers[:11])
    return found[-1] if found else "SO-0"


def with_deep_cursors(scenarios, users: dict) -> list[Scenario]:
    """The scenarios with the deep page's placeholder replaced by the cursor of the data as
    it is now (``users``: role -> user)."""
    specs = {f"api {spec.name}": spec for spec in LISTS}
    resolved = []
    for scenario in scenarios:
        if f"cursor={DEEP}" in scenario.url:
            cursor = deep_cursor(specs[scenario.area], users[scenario.role]) or ""
            url = scenario.url.replace(f"cursor={DEEP}", urlencode({"cursor": cursor}))
            scenario = replace(scenario, url=url)
        resolved.append(scenario)
    return resolved


def api_scenarios(personas) -> list[Scenario]:
    scenarios = []
    for role, user in personas.items():
        terms = search_terms(user)
        for spec in LISTS:
            url = f"/api/v1/{spec.name}/"
            variants = [
                ("first page", {}),
                ("filter " + urlencode(spec.filtered), spec.filtered),
                ("search", {"q": terms.get(spec.name) or order_number(user)}),
                (f"sort {spec.sort}", {"sort": spec.sort}),
            ]
            # Worked out where the page is measured (with_deep_cursors): at each size anew.
            variants.append((DEEP_LABEL, {"cursor": DEEP}))
            for label, params in variants:
                query = f"?{urlencode(params)}" if params else ""
                scenarios.append(Scenario(f"api {spec.name}", label, role, url + query))
    return scenarios


#: A plan node, with the rows it produced.
NODE = re.compile(
    r"^\s*(->\s*)?(?P<node>[A-Z][A-Za-z ]*?)(?: using \w+)?(?: on (?P<table>\w+))?(?: \w+)?"
    r"\s+\(cost=.*?actual .*?rows=(?P<rows>\d+)"
)


def whole_reads(plan: str, table: str) -> list[str]:
    """What in ``plan`` reads more than a page: a Seq Scan of the list's own ``table``, or a
    Sort of more rows than a page (a small table joined, such as the users, may be read
    whole, and sorting the page's own rows is nothing)."""
    nodes = [m for m in map(NODE.match, plan.splitlines()) if m]
    found = []
    for i, node in enumerate(nodes):
        name = node["node"].strip()
        if name.endswith("Seq Scan") and node["table"] == table:
            found.append(f"Seq Scan on {table}")
        elif name == "Sort" and i + 1 < len(nodes) and int(nodes[i + 1]["rows"]) > PAGE_ROWS:
            found.append(f"Sort of {nodes[i + 1]['rows']} rows")
    return found


def list_statement(client, url: str) -> str:
    """The SQL of the list's own SELECT (the one that reads ``limit + 1`` rows)."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    limit = f"LIMIT {DEFAULT_LIMIT + 1}"
    return next((q["sql"] for q in captured.captured_queries if limit in q["sql"]), "")


def cursor_plans(scenarios, clients, users: dict) -> list[dict]:
    """The plan of the list statement of every first and deep page, and what in it reads
    more than the page (``whole_reads``: nothing, when the sort's index is read)."""
    tables = {f"api {spec.name}": spec.model._meta.db_table for spec in LISTS}
    plans = []
    for scenario in with_deep_cursors(scenarios, users):
        if scenario.label not in ("first page", DEEP_LABEL):
            continue
        sql = list_statement(clients[scenario.role], scenario.url)
        plan = explain(sql) if sql else "no list statement found"
        reads = whole_reads(plan, tables[scenario.area]) if sql else ["no list statement"]
        plans.append(
            {
                "area": scenario.area,
                "measurement": scenario.label,
                "role": scenario.role,
                "sql": sql,
                "plan": plan,
                "whole_reads": reads,
                "index_only": not reads,
            }
        )
    return plans


def plan_rows(plans: list[dict]) -> list[dict]:
    """One goal row per explained deep page: it reads an index, nothing else."""
    rows = []
    for plan in plans:
        if plan["measurement"] != DEEP_LABEL:
            continue
        rows.append(
            {
                "area": plan["area"],
                "measurement": f"{plan['measurement']}: plan",
                "role": plan["role"],
                "small": "",
                "large": "the page's rows"
                if plan["index_only"]
                else ", ".join(plan["whole_reads"]),
                "ratio": "",
                "queries": "",
                "goal": "reads the sort's index: no Seq Scan of the list, no Sort of more rows",
                "met": plan["index_only"],
                "detail": "" if plan["index_only"] else "see api_plans in the JSON",
                "why": ""
                if plan["index_only"]
                else "the list's filter or sort has no index "
                "ending in the primary key (DESIGN.md); its plan is in the JSON",
            }
        )
    return rows
