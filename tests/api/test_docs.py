"""The OpenAPI document and the docs page: public, complete, and served from our own files."""

import re

import jsonschema_rs
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


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def _schemas(schema, media: dict) -> list[dict]:
    """The component schemas a body's media type names (an optional body: anyOf with null)."""
    body = media["schema"]
    refs = [body, *body.get("anyOf", [])]
    components = schema["components"]["schemas"]
    return [components[ref["$ref"].rsplit("/", 1)[1]] for ref in refs if "$ref" in ref]


def test_every_operation_has_a_summary_and_examples_of_its_bodies():
    schema = ApiClient().get("/api/v1/openapi.json").data
    missing = []
    for label, operation in _operations(schema):
        if not operation.get("summary"):
            missing.append(f"{label}: summary")
        bodies = {"request": operation.get("requestBody", {}).get("content", {})}
        for status in ("200", "201"):
            bodies[status] = operation["responses"].get(status, {}).get("content", {})
        for name, content in bodies.items():
            for media in content.values():
                if not any("examples" in found for found in _schemas(schema, media)):
                    missing.append(f"{label}: {name} example")
    assert missing == []


def test_every_example_matches_its_schema():
    schema = ApiClient().get("/api/v1/openapi.json").data
    components = schema["components"]["schemas"]
    checked = 0
    for name, component in components.items():
        validator = jsonschema_rs.validator_for(
            {"$ref": f"#/components/schemas/{name}", "components": {"schemas": components}}
        )
        for example in component.get("examples", []):
            errors = [error.message for error in validator.iter_errors(example)]
            assert errors == [], (name, example)
            checked += 1
    assert checked >= 25


def test_list_filters_are_typed_as_their_filterset_reads_them():
    schema = ApiClient().get("/api/v1/openapi.json").data
    parameters = {
        parameter["name"]: parameter
        for parameter in schema["paths"]["/api/v1/opportunities/"]["get"]["parameters"]
    }
    assert parameters["stage"]["schema"]["items"]["enum"][:2] == ["prospecting", "qualified"]
    assert parameters["stage"]["explode"] is False
    assert parameters["close_after"]["schema"] == {"type": "string", "format": "date"}
    assert parameters["amount_min"]["schema"] == {"type": "number"}
    assert parameters["open"]["schema"] == {"type": "boolean"}
    assert parameters["owner"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters["id"]["schema"]["items"]["type"] == "integer"
