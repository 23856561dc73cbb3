"""The HTTP API's test tools: tokens for the personas and a client that sends them."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from api.tokens import issue_token


class ApiClient:
    """Requests to /api/v1 with a token: ``api.get("/customers/")`` returns the response,
    whose ``.data`` is the parsed JSON body (or None)."""

    def __init__(self, key=None):
        self.key = key
        self.client = Client()

    def request(self, method, path, body=None, *, headers=None, raw=None, **params):
        headers = dict(headers or {})
        if self.key is not None:
            headers.setdefault("Authorization", f"Bearer {self.key}")
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        kwargs = {"headers": headers}
        if method == "get":
            kwargs["data"] = params
        else:
            kwargs["data"] = raw if raw is not None else json.dumps(body or {})
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method)(url, **kwargs)
        content = response.content
        is_json = "json" in response.get("Content-Type", "")
        response.data = json.loads(content) if content and is_json else None
        return response

    def get(self, path, **params):
        return self.request("get", path, **params)

    def post(self, path, body=None, **kwargs):
        return self.request("post", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request("patch", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("delete", path, **kwargs)


def make_key(user, *, read_only=False, name="test"):
    token, key = issue_token(user=user, name=name, read_only=read_only)
    # Used just now: no "last used" write in the requests a test counts.
    token.__class__.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return key


@pytest.fixture
def api_for(db):
    """``api_for(user)``: a client with a new token of ``user``."""
    return lambda user, **kwargs: ApiClient(make_key(user, **kwargs))


@pytest.fixture
def sales_api(salesperson, api_for):
    return api_for(salesperson)


@pytest.fixture
def teammate_api(teammate, api_for):
    return api_for(teammate)


@pytest.fixture
def manager_api(manager, api_for):
    return api_for(manager)
