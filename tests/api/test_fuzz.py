"""A schema-driven fuzz of the HTTP API (schemathesis) against a live server.

For a salesperson's token and a manager's token, every operation of /api/v1/openapi.json
gets a fixed number of generated requests (derandomized: the same requests on every run),
valid and invalid, sent over HTTP to pytest-django's live server with the whole middleware
stack. Every answer must be no server error, a status the document lists for the
operation, the content type it names, and a body matching its schema (problem+json
included), another method on the path answers 405 with Allow, the same request without the
token is refused, and no value gets past the schema only to be refused by the database. Path
ids are drawn mostly from the seed's records (the persona's own, a teammate's, and none), so
reads, updates and workflow steps reach real rows.

The operations are walked here with each one's Hypothesis strategy rather than through
schemathesis' pytest plugin: its lazy loader (``from_fixture``, needed for a live server's
address) uses a pytest internal that pytest 9.2 no longer has, and one test per persona keeps
one seed and one server for every operation. A failure of any operation is collected and all
are reported together.
"""

import os
from collections import Counter

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from api.v1.problems import NON_FIELD
from tests.api.conftest import make_key
from tests.factories import (
    CommunicationFactory,
    ContactFactory,
    CustomerFactory,
    ManagerFactory,
    OpportunityFactory,
    OrderFactory,
    SalespersonFactory,
    quote_with_lines,
)

#: Generated requests per operation and persona (CRM_FUZZ_EXAMPLES for a deeper run by hand).
EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", 25))
#: api.v1.problems' answer to a DataError.
STORE_REFUSED = "A value is too large or too long to store."
pytestmark = pytest.mark.django_db(transaction=True)


@schemathesis.check
def no_database_refusal(ctx, response, case):
    """Input that gets past the schema and the services is stored: a value PostgreSQL refuses
    (a DataError, answered as "too large or too long") means a rule the schema lacks."""
    if response.status_code == 422 and response.json().get("errors") == {
        NON_FIELD: [STORE_REFUSED]
    }:
        raise AssertionError(f"The database refused a value the API let through: {case.body!r}")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    # A method the path does not have: 405 with Allow (a problem too, see test_problems).
    unsupported_method,
    # Without the token the same request is refused.
    ignored_auth,
    no_database_refusal,
]

#: An id that names no record.
MISSING_ID = 987654321


def _seed() -> dict[str, list[int]]:
    """Customers, deals, communications, quotes in several states and orders of two
    salespeople; the first salesperson is the one fuzzed."""
    ids: dict[str, list[int]] = {key: [] for key in ("customers", "contacts", "opportunities")}
    ids |= {"communications": [], "quotes": [], "orders": []}
    for owner in (SalespersonFactory(username="fuzz-own"), SalespersonFactory()):
        for _ in range(2):
            customer = CustomerFactory(owner=owner)
            ids["customers"].append(customer.pk)
            ids["contacts"].append(ContactFactory(customer=customer).pk)
            deal = OpportunityFactory(customer=customer)
            ids["opportunities"].append(deal.pk)
            ids["communications"].append(
                CommunicationFactory(opportunity=deal, follow_up_on=timezone.localdate()).pk
            )
            for status in ("draft", "pending_approval", "approved", "sent", "rejected"):
                ids["quotes"].append(quote_with_lines(opportunity=deal, status=status).pk)
            for status in ("draft", "pending_approval", "confirmed", "fulfilled"):
                accepted = quote_with_lines(opportunity=deal, status="accepted")
                ids["quotes"].append(accepted.pk)
                ids["orders"].append(OrderFactory(quote=accepted, status=status).pk)
    return ids


@pytest.fixture
def seed(transactional_db, settings):
    # Every generated request must reach the endpoint: no 429 from the token's bucket.
    settings.CRM_API_RATE, settings.CRM_API_BURST = 0, 0
    return _seed()


@pytest.fixture(params=["salesperson", "manager"])
def persona(request, seed):
    if request.param == "manager":
        return ManagerFactory()
    return get_user_model().objects.get(username="fuzz-own")


@st.composite
def cases(draw, operation, seed: dict[str, list[int]]):
    """A valid or an invalid request to ``operation``; its path ids mostly a seed record's
    (the persona's own or a teammate's), else one that names nothing or a generated one."""
    mode = draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]))
    path = operation.path
    parameters = {}
    if "{id}" in path and draw(st.integers(0, 4)):
        parameters["id"] = draw(st.sampled_from([*seed[path.split("/")[3]], MISSING_ID]))
        if "{contact_id}" in path:
            parameters["contact_id"] = draw(st.sampled_from([*seed["contacts"], MISSING_ID]))
    return draw(operation.as_strategy(mode, path_parameters=parameters or None))


def fuzz(operation, seed, headers, statuses: Counter):
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=cases(operation, seed))
    def run(case):
        response = case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)
        statuses[response.status_code] += 1

    run()


def test_the_api_answers_every_generated_request_as_its_schema_says(live_server, persona, seed):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {make_key(persona)}"}
    failures, statuses = [], Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:
        try:
            fuzz(operation, seed, headers, statuses)
        except Exception as error:  # every operation is fuzzed; all failures are reported
            failures.append(f"{operation.label}: {error}")
    print(f"{len(operations)} operations, answers by status: {dict(sorted(statuses.items()))}")
    assert not failures, "\n\n".join(failures)
    # Not a vacuous run: real records were read, created and changed.
    assert statuses[200] > len(operations) and statuses[201] >= 5
