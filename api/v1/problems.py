"""Every error of the HTTP API as ``application/problem+json`` (RFC 9457).

A problem has ``type`` (a URN naming the kind of problem), ``title`` (the kind, in words),
``status``, ``detail`` (this occurrence, translated) and, for invalid input, ``errors``:
``{field: [message, ...]}``. How the services' refusals map to statuses:

- ``ObjectDoesNotExist`` / ``Http404``: 404 (a record the user may not see does not exist);
- ``PermissionDenied``: 403;
- ``ValidationError`` with code ``not_allowed`` (crm.workflow's refusals), django-fsm's
  ``TransitionNotAllowed`` and ``ConcurrentTransition``: 409, the record's state forbids it;
- any other ``ValidationError``, ninja's own validation errors, a body that is not JSON and a
  value the database cannot store: 422;
- anything unforeseen: 500, logged with its traceback, and the same problem shape.
"""

import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

logger = logging.getLogger("api")

CONTENT_TYPE = "application/problem+json"
#: Where a field error without a field goes (a service's error about the whole record).
NON_FIELD = "__all__"
#: Parts of ninja's error locations that are not field names.
LOCATION_NOISE = {"body", "query", "path", "header", "payload", "form", "cookie"}


class Problem(Exception):
    """An error answered as it is: ``raise Problem(429, "rate-limited", ...)``."""

    def __init__(self, status, slug, title, detail, *, errors=None, headers=None):
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.errors, self.headers = errors, headers or {}


def problem_response(problem: Problem) -> HttpResponse:
    body = {
        "type": f"urn:crm:problem:{problem.slug}",
        "title": str(problem.title),
        "status": problem.status,
        "detail": str(problem.detail),
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=CONTENT_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def invalid(errors: dict[str, list[str]], detail: str | None = None) -> Problem:
    return Problem(
        422,
        "invalid",
        _("Invalid input"),
        detail or _("Some values are missing or invalid; see errors."),
        errors=errors,
    )


def not_found() -> Problem:
    return Problem(
        404, "not-found", _("Not found"), _("There is no such record, or it is not yours to see.")
    )


def method_not_allowed(allowed) -> Problem:
    methods = ", ".join(sorted(allowed))
    return Problem(
        405,
        "method-not-allowed",
        _("Method not allowed"),
        _("This address does not answer this method; it answers %(methods)s.")
        % {"methods": methods},
        headers={"Allow": methods},
    )


@login_not_required
def no_such_endpoint(request, *args, **kwargs) -> HttpResponse:
    """The answer to an address under /api/v1/ that names no endpoint (the URL pattern after
    all of the API's own). A list's address without its final slash says which one it is."""
    detail = _("There is no endpoint at this address; the API's documents list them all.")
    with_slash = f"{request.path}/"
    match = None if request.path.endswith("/") else _resolve(with_slash)
    if match is not None and match.url_name not in ("no-such-endpoint", "api-root"):
        detail = _("There is no endpoint at this address; did you mean %(path)s?") % {
            "path": with_slash
        }
    return problem_response(Problem(404, "no-such-endpoint", _("Not found"), detail))


def _resolve(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


def _field_name(location) -> str:
    parts = [str(part) for part in location if str(part) not in LOCATION_NOISE]
    return ".".join(parts) or NON_FIELD


def schema_errors(errors: list[dict]) -> dict[str, list[str]]:
    """ninja's (pydantic's) error list as ``{field: [message, ...]}``."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(str(error.get("msg", "")))
    return fields


def django_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for message in messages]
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD: [str(message) for message in error.messages]}


def _is_state_refusal(error: ValidationError) -> bool:
    if hasattr(error, "error_dict"):
        return False
    return any(getattr(item, "code", None) == "not_allowed" for item in error.error_list)


def as_problem(exc: Exception) -> Problem:
    """The problem a raised exception answers with."""
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, AuthenticationError):
        return Problem(
            401,
            "unauthenticated",
            _("Authentication required"),
            _("Send a valid API token in the header Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    if isinstance(exc, SchemaValidationError):
        return invalid(schema_errors(exc.errors))
    if isinstance(exc, HttpError) and exc.status_code == 400:
        # ninja's answer to a body it cannot parse.
        return invalid(
            {NON_FIELD: [_("The request body is not valid JSON.")]},
            _("The request body is not valid JSON."),
        )
    if isinstance(exc, HttpError) and exc.status_code == 404:
        return not_found()
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return not_found()
    if isinstance(exc, PermissionDenied):
        return Problem(
            403, "forbidden", _("Not allowed"), str(exc) or _("You are not allowed to do that.")
        )
    if isinstance(exc, ValidationError):
        if _is_state_refusal(exc):
            return Problem(409, "conflict", _("Not allowed in this state"), " ".join(exc.messages))
        return invalid(django_errors(exc), " ".join(exc.messages))
    if isinstance(exc, TransitionNotAllowed):
        return Problem(
            409,
            "conflict",
            _("Not allowed in this state"),
            _("The record's current state does not allow this."),
        )
    if isinstance(exc, ConcurrentTransition | IntegrityError):
        return Problem(
            409,
            "conflict",
            _("Conflict"),
            _("Someone changed the record at the same time; read it again and retry."),
        )
    if isinstance(exc, DataError):
        return invalid({NON_FIELD: [_("A value is too large or too long to store.")]})
    if isinstance(exc, HttpError):
        return Problem(exc.status_code, "http-error", str(exc), str(exc))
    logger.exception("Unexpected error in the HTTP API", exc_info=exc)
    return Problem(
        500,
        "server-error",
        _("Server error"),
        _("Something went wrong on our side; the change was not made. Try again later."),
    )


def handle(request, exc: Exception) -> HttpResponse:
    return problem_response(as_problem(exc))


def install(api) -> None:
    """Answer every exception of ``api`` (a NinjaAPI) as a problem: ninja's own handlers
    (for these classes) are replaced too."""
    for exception_class in (Exception, Http404, HttpError, SchemaValidationError):
        api.add_exception_handler(exception_class, handle)
