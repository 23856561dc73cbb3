"""The README's curl flow, request by request, against a live server: the seed's story
(customer, opportunity, communication, quote, submit, a manager's approval, the order) over
HTTP. The commands are read from the README, so the two cannot drift apart."""

import io
import json
import re
import shlex
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from orders.models import Order
from tests.factories import ManagerFactory, SalespersonFactory

README = Path(settings.BASE_DIR) / "README.md"
CAPTURE = re.compile(r"^(\w+)=\$\((.*)\)$")
ASSIGN = re.compile(r"^(\w+)=(\S+)$")


def curl_flow() -> list[str]:
    """The commands of the README's curl block, continuation lines joined."""
    text = README.read_text(encoding="utf-8").split("<!-- curl-flow -->", 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def expand(word: str, variables: dict) -> str:
    return re.sub(r"\$(\w+)", lambda m: str(variables[m.group(1)]), word)


def curl(command: str, variables: dict):
    """Run one `curl ... [| jq .field]` as urllib would: (status, parsed body, jq field)."""
    command, _, jq = command.partition("| jq")
    words = [expand(word, variables) for word in shlex.split(command)]
    assert words[0] == "curl"
    method, url, headers, data = "GET", None, {}, None
    words = iter(words[1:])
    for word in words:
        if word == "-X":
            method = next(words)
        elif word == "-H":
            name, value = next(words).split(":", 1)
            headers[name.strip()] = value.strip()
        elif word == "-d":
            data = next(words).encode()
        elif word == "-s":
            continue
        else:
            url = word
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.loads(response.read())
        return response.status, body, jq.strip().lstrip(".")


@pytest.mark.django_db(transaction=True)
def test_the_readmes_curl_flow_runs(live_server):
    SalespersonFactory(username="alice")
    ManagerFactory(username="manager")
    variables, statuses = {}, []
    for line in curl_flow():
        if capture := CAPTURE.match(line):
            name, command = capture.groups()
            if command.startswith("curl"):
                status, body, field = curl(command, variables)
                statuses.append(status)
                variables[name] = body[field]
            else:  # a token from manage.py issue_api_token
                args = shlex.split(command)
                assert args[1:3] == ["manage.py", "issue_api_token"]
                out = io.StringIO()
                call_command(*args[2:], stdout=out)
                variables[name] = out.getvalue().strip()
        elif assign := ASSIGN.match(line):
            name, value = assign.groups()
            # The README's server is the demo's; here it is the test's live server.
            variables[name] = f"{live_server.url}/api/v1" if name == "API" else value
        else:
            status, body, _field = curl(line, variables)
            statuses.append(status)
            variables["LAST"] = body
    assert statuses == [201, 201, 201, 201, 200, 200, 201]
    order = Order.objects.get(pk=variables["LAST"]["id"])
    assert (order.status, str(order.total), order.customer_id) == (
        "confirmed",
        "9500.00",
        variables["CUSTOMER"],
    )
    assert order.quote.opportunity.stage == "won"
