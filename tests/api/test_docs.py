"""The OpenAPI document and the docs page: public, complete, and served from our own files."""

import re

import pytest

from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

RESOURCES = ["customers", "opportunities", "communications", "quotes", "orders"]


def test_the_openapi_document_lists_every_resource_and_step():
    schema = ApiClient().get("/api/v1/openapi.json").data
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for resource in RESOURCES:
        assert {f"/api/v1/{resource}/", f"/api/v1/{resource}/{{id}}"} <= paths
    for step in ["submit", "approve", "reject", "revise", "send", "accept", "decline", "cancel"]:
        assert f"/api/v1/quotes/{{id}}/{step}" in paths
    for step in ["submit", "approve", "reject", "fulfil", "complete", "cancel"]:
        assert f"/api/v1/orders/{{id}}/{step}" in paths
    assert "/api/v1/opportunities/{id}/move" in paths


def test_lists_document_the_list_pages_parameters_and_posts_the_idempotency_key():
    schema = ApiClient().get("/api/v1/openapi.json").data
    listing = schema["paths"]["/api/v1/opportunities/"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"q", "stage", "sort", "limit", "cursor"} <= names
    create = schema["paths"]["/api/v1/opportunities/"]["post"]
    assert "Idempotency-Key" in {parameter["name"] for parameter in create["parameters"]}
    problem = create["responses"]["422"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_the_docs_page_uses_only_our_own_files():
    response = ApiClient().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert not re.search(r"(src|href)=\"https?://", page)
    assert "<script>" not in page  # no inline script: the CSP nonce is not needed
