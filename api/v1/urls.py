"""The HTTP API, version 1: ``/api/v1/`` (mounted by crm/urls.py), its OpenAPI document at
``/api/v1/openapi.json`` and its docs page at ``/api/v1/docs``.

Every endpoint needs a token (api.v1.auth); the OpenAPI document and the docs page do not,
so that an integrator can read them before having an account. The docs page is ninja's
Swagger UI, served from ninja's own static files (no CDN), with no inline script: the
site's Content-Security-Policy holds there too.
"""

import functools

from django.http import HttpResponseNotAllowed
from django.urls import re_path
from ninja import NinjaAPI, Swagger

from api.v1 import communications, customers, opportunities, orders, problems, quotes
from api.v1.auth import BearerToken

DESCRIPTION = """
The CRM's records and workflow steps over HTTP, with the same rules as the pages.

* **Auth**: `Authorization: Bearer <token>`; make a token on your profile's *API tokens* page
  or with `manage.py issue_api_token USERNAME --name NAME`. A token acts as its user.
* **Errors**: `application/problem+json` (RFC 9457): `type`, `title`, `status`, `detail`
  and, for invalid input (422), `errors` per field. 404 also for records you may not see;
  409 for a workflow step the record's state does not allow; 429 with `Retry-After`.
* **Lists**: the list page's filters and `q`, `sort`, `limit` (≤ 200) and the opaque
  `cursor` from the previous page's `next`.
* **Idempotency-Key** on any POST: the same key and body within 24 h returns the first
  response and changes nothing.
"""


class CrmApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        # Every error is a problem document (api.v1.problems), so say so.
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if int(status) >= 400 and "content" in response:
                        response["content"] = {
                            problems.CONTENT_TYPE: response["content"]["application/json"]
                        }
        return schema

    def _get_urls(self):
        urls = super()._get_urls()
        # The site's LoginRequiredMiddleware sends anonymous visitors to the login page; the
        # API answers for itself (401 problem) and its documents are public.
        for pattern in urls:
            if pattern.name == "api-root":  # ninja's plain 404 at /api/v1/ itself
                pattern.callback = problems.no_such_endpoint
            pattern.callback = _problem_for_wrong_method(pattern.callback)
            pattern.callback.login_required = False
        return urls


def _problem_for_wrong_method(view):
    """``view`` answering a method its path does not have with a 405 problem (ninja's own
    answer is plain text), with the same ``Allow`` header."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = [method.strip() for method in response["Allow"].split(",")]
            return problems.problem_response(problems.method_not_allowed(allowed))
        return response

    return answer


api = CrmApi(
    title="Sales CRM API",
    version="1",
    description=DESCRIPTION,
    auth=BearerToken(),
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("/customers", customers.router)
api.add_router("/opportunities", opportunities.router)
api.add_router("/communications", communications.router)
api.add_router("/quotes", quotes.router)
api.add_router("/orders", orders.router)

urlpatterns = [
    *api.urls[0],
    # Last: any other address under /api/v1/ is a problem too, never the site's HTML 404.
    re_path(r"", problems.no_such_endpoint, name="no-such-endpoint"),
]

app_name = "api-v1"
