"""The HTTP API, version 1: ``/api/v1/`` (mounted by crm/urls.py), its OpenAPI document at
``/api/v1/openapi.json`` and its docs page at ``/api/v1/docs``.

Every endpoint needs a token (api.v1.auth); the OpenAPI document and the docs page do not,
so that an integrator can read them before having an account. The docs page is ninja's
Swagger UI, served from ninja's own static files (no CDN), with no inline script: the
site's Content-Security-Policy holds there too.
"""

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
            pattern.callback.login_required = False
        return urls


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

urlpatterns = [*api.urls[0]]
app_name = "api-v1"
