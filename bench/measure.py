"""Server time and query count of the list pages and the dashboard, through Django's test client.

Server time is the wall time of ``client.get`` in this process (the whole Django request:
middleware, view, queries, template), with no network in between. Each page is requested
once inside ``CaptureQueriesContext`` (query count and the slowest statement), once more to
warm up, then timed ``repetitions`` times, or for as long as ``budget`` seconds allow but at
least ``MIN_SAMPLES`` times. Percentiles are nearest-rank over the timed samples.
"""

import json
import math
import re
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.generate import MANAGER_USERNAME
from communications.filters import CommunicationFilter
from communications.models import Communication
from customers.filters import CustomerFilter
from customers.models import Customer
from opportunities.filters import OpportunityFilter
from quotes.filters import QuoteFilter
from quotes.models import Quote

MIN_SAMPLES = 5
DEEP_PAGE = 200


@dataclass(frozen=True)
class ListSpec:
    name: str
    url_name: str
    filterset_class: type
    #: One filter a user would typically apply.
    filtered: dict


LISTS = (
    ListSpec("customers", "customers:list", CustomerFilter, {"status": "active"}),
    ListSpec("opportunities", "opportunities:list", OpportunityFilter, {"stage": "negotiation"}),
    ListSpec("communications", "communications:list", CommunicationFilter, {"channel": "meeting"}),
    ListSpec("quotes", "quotes:list", QuoteFilter, {"status": "pending_approval"}),
)


@dataclass(frozen=True)
class Scenario:
    area: str  # "customers", ..., or "dashboard"
    label: str  # "first page", "filter status=active", "search", "sort name", "page 200"
    role: str  # "salesperson" or "manager"
    url: str
    #: A page that works figures out answers with a redirect to its plain address.
    expected_status: int = 200


@dataclass
class Timing:
    status: int
    p50_ms: float
    p95_ms: float
    #: Median CPU time of this process per request: Python's share (PostgreSQL runs apart).
    cpu_p50_ms: float
    samples: int
    queries: int
    #: Time of all the page's statements, measured in the capturing request.
    db_ms: float
    bytes: int
    #: Rows on the page when the test client exposes the context (under pytest), else None.
    rows: int | None
    slowest_query_ms: float
    slowest_query: str
    samples_ms: list = field(default_factory=list)
    #: [milliseconds, the statement's first 200 characters] of every query of the page.
    query_log: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Personas:
    """The users the pages are measured as: the salesperson who owns the most customers (the
    heaviest own-records lists) and a manager (every record)."""

    salesperson: object
    manager: object

    @classmethod
    def find(cls) -> "Personas":
        User = get_user_model()
        busiest = (
            Customer.objects.order_by()
            .values("owner")
            .annotate(n=Count("id"))
            .order_by("-n", "owner")
            .first()
        )
        return cls(
            salesperson=User.objects.get(pk=busiest["owner"]),
            manager=User.objects.get(username=MANAGER_USERNAME.format(1)),
        )

    def items(self):
        return (("salesperson", self.salesperson), ("manager", self.manager))


def search_terms(user) -> dict[str, str]:
    """What each list is searched for as ``user``: a term that names one record, as someone
    looking for a particular customer, deal, communication or quote types it. Chosen among
    the user's records once (at the smallest size) and reused at every size."""
    customer = Customer.objects.visible_to(user).order_by("id").values_list("name", flat=True)
    reference = (
        Communication.objects.visible_to(user)
        .filter(content__contains="Ref. PO-")
        .order_by("id")
        .values_list("content", flat=True)
        .first()
    )
    quote = Quote.objects.visible_to(user).order_by("id").values_list("number", flat=True)
    name = customer[min(100, customer.count() - 1)] if customer.exists() else "nothing"
    return {
        "customers": name,
        "opportunities": name,
        "communications": re.search(r"PO-\d+", reference).group() if reference else "PO-0",
        "quotes": quote[min(10, quote.count() - 1)] if quote.exists() else "Q-0",
    }


def list_scenarios(personas: Personas) -> list[Scenario]:
    """Every list page the issue names, for both personas."""
    scenarios = []
    for role, user in personas.items():
        terms = search_terms(user)
        for spec in LISTS:
            url = reverse(spec.url_name)
            variants = [
                ("first page", {}),
                ("filter " + urlencode(spec.filtered), spec.filtered),
                ("search", {"q": terms[spec.name]}),
                *(
                    (f"sort {key}", {"sort": key})
                    for key in spec.filterset_class.sort_fields
                    if role == "manager" or key not in spec.filterset_class.manager_only_sorts
                ),
                (f"page {DEEP_PAGE}", {"page": DEEP_PAGE}),
            ]
            for label, params in variants:
                query = f"?{urlencode(params)}" if params else ""
                scenarios.append(Scenario(spec.name, label, role, url + query))
        scenarios.extend(duplicates_scenarios(role))
    return scenarios


def duplicates_scenarios(role: str) -> list[Scenario]:
    """The "Possible duplicates" page. It has no filter, search or sort (so no `ListSpec`): its
    pages are the walk of each rule's key index (customers.duplicate_pairs), measured from the
    start of each rule."""
    url = reverse("customers:duplicates")
    return [
        Scenario("duplicates", "first page", role, url),
        *(
            Scenario("duplicates", f"rule {rule}", role, f"{url}?{urlencode({'rule': rule})}")
            for rule in ("phone", "name")
        ),
    ]


def dashboard_scenarios(personas: Personas) -> list[Scenario]:
    """The dashboard as each persona sees it and, for the manager, with the team's figures
    worked out on every request (``?refresh=1``: what the first view after they expire costs,
    crm.snapshot)."""
    url = reverse("dashboard")
    return [
        *(Scenario("dashboard", "/", role, url) for role, _ in personas.items()),
        Scenario("dashboard", "/ figures worked out", "manager", url + "?refresh=1", 302),
    ]


def clients_for(personas: Personas) -> dict[str, Client]:
    """A client per persona, signed in for the pages and carrying a token for the HTTP API."""
    from bench.api import bearer

    clients = {}
    for role, user in personas.items():
        client = Client(HTTP_AUTHORIZATION=bearer(user))
        client.force_login(user)
        clients[role] = client
    return clients


def measure(
    scenarios, clients, *, repetitions=20, budget=4.0, log=None
) -> list[tuple[Scenario, Timing]]:
    log = log or (lambda message: None)
    # Nothing computed at another size or by another run may answer for this one.
    cache.clear()
    results = []
    for scenario in scenarios:
        timing = time_page(clients[scenario.role], scenario.url, repetitions, budget)
        results.append((scenario, timing))
        log(
            f"  {scenario.area:<15} {scenario.label:<32} {scenario.role:<11} "
            f"p50 {timing.p50_ms:7.1f} p95 {timing.p95_ms:7.1f} ms (cpu {timing.cpu_p50_ms:5.1f}, "
            f"db {timing.db_ms:6.1f})  {timing.queries:2d} q"
            + ("" if timing.status == scenario.expected_status else f"  HTTP {timing.status}")
        )
    return results


def time_page(client: Client, url: str, repetitions: int, budget: float) -> Timing:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    # A copy: the next request empties the connection's query log.
    queries = list(captured.captured_queries)
    slowest = max(queries, key=lambda q: float(q["time"]), default=None)
    context = getattr(response, "context", None)
    rows = None
    if context is not None and "object_list" in context:
        rows = len(context["object_list"])
    elif response.get("Content-Type", "").startswith("application/json"):  # an API list
        rows = len(json.loads(response.content).get("items", []))
    if repetitions:
        client.get(url)  # warm-up (the first request above ran with query capture)
    samples, cpu = [], []
    started = time.perf_counter()
    while len(samples) < repetitions and (
        len(samples) < MIN_SAMPLES or time.perf_counter() - started < budget
    ):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        samples.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return Timing(
        status=response.status_code,
        p50_ms=percentile(samples, 50),
        p95_ms=percentile(samples, 95),
        cpu_p50_ms=percentile(cpu, 50),
        samples=len(samples),
        queries=len(queries),
        db_ms=sum(float(q["time"]) for q in queries) * 1000,
        bytes=len(response.content),
        rows=rows,
        slowest_query_ms=float(slowest["time"]) * 1000 if slowest else 0.0,
        slowest_query=slowest["sql"] if slowest else "",
        samples_ms=[round(s, 2) for s in samples],
        query_log=[[round(float(q["time"]) * 1000, 1), q["sql"][:200]] for q in queries],
    )


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile (no interpolation); 0 without samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def explain(sql: str) -> str:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of a captured statement (already with its values)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())
