"""How the Python API checks a call before it reaches a service: the signature, the acting
user, record ids the user may see, text, date and number arguments; and how one table row
becomes a workflow step's function."""

import functools
import inspect
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, transaction
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from customers.models import Customer
from opportunities.models import Opportunity
from orders.models import Order
from quotes.models import Quote

#: Which model each record-id argument names; the user must be able to see the record.
RECORD_IDS = {
    "customer_id": Customer,
    "opportunity_id": Opportunity,
    "quote_id": Quote,
    "order_id": Order,
}
#: Arguments that must be text, and dates (objects or ISO text), when given.
TEXT_ARGUMENTS = {
    *("name", "phone", "email", "type", "direction", "subject", "content", "stage", "status"),
    *("note", "reason", "terms", "notes", "next_step", "description"),
}
DATE_ARGUMENTS = {"valid_until", "expected_close_date", "occurred_at", "follow_up_on"}


def _bad_call(func, signature, args, kwargs, error) -> ValidationError:
    """A translated message for a call that does not fit the function's signature."""
    parameters = signature.parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    unknown = [] if takes_any else sorted(set(kwargs) - set(parameters))
    given = set(kwargs) | set(list(parameters)[: len(args)])
    missing = [
        f"{name}="
        for name, p in parameters.items()
        if p.default is p.empty and p.kind is not p.VAR_KEYWORD and name not in given
    ]
    if unknown or missing:
        message = (
            _("%(function)s() has no argument %(names)s.")
            if unknown
            else _("%(function)s() needs %(names)s.")
        )
        return ValidationError(
            message % {"function": func.__name__, "names": ", ".join(unknown or missing)}
        )
    return ValidationError(
        _("Wrong call of %(function)s(): %(error)s. Give the record id first, the rest by keyword.")
        % {"function": func.__name__, "error": error}
    )


def acting_user(user):
    if user is None or not hasattr(user, "is_authenticated"):
        raise ValidationError({"user": _("Say who acts: pass user=, an active user account.")})
    if not user.is_authenticated or not isinstance(user, get_user_model()):
        raise PermissionDenied(_("Only a signed-in user account can act."))
    if not user.is_active:
        raise PermissionDenied(
            _("The account %(username)s is inactive.") % {"username": user.get_username()}
        )
    return user


def _record_id(name: str, value, user) -> int:
    """A positive whole number naming a record ``user`` may see; anything else is refused."""
    model = RECORD_IDS[name]
    try:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError
        pk = int(value)
    except ValueError:
        raise ValidationError(
            {
                name: _("Give %(name)s as a whole number, not %(value)r.")
                % {"name": name, "value": value}
            }
        ) from None
    if not 0 < pk < 2**63 or not model.objects.visible_to(user).filter(pk=pk).exists():
        raise ValidationError(
            {
                name: _("No %(record)s with id %(id)s was found.")
                % {"record": model._meta.verbose_name, "id": value}
            }
        )
    return pk


def operation(func):
    """Check the call, the user, the ids and the text arguments; run ``func`` in one
    transaction; turn low-level errors into ValidationError; return the record re-read."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as error:
            raise _bad_call(func, signature, args, kwargs, error) from None
        arguments = bound.arguments
        user = arguments["user"] = acting_user(arguments.get("user"))
        for name, value in arguments.items():
            if name in TEXT_ARGUMENTS and value is not None and not isinstance(value, str):
                kind = _("text")
            elif name in DATE_ARGUMENTS and value and not isinstance(value, date | str):
                kind = _("a date or an ISO date text")
            else:
                continue
            raise ValidationError(
                {
                    name: _("Give %(name)s as %(kind)s, not %(value)r.")
                    % {"name": name, "kind": kind, "value": value}
                }
            )
        try:
            with transaction.atomic():
                for name in RECORD_IDS.keys() & arguments.keys():
                    if arguments[name] is not None:
                        arguments[name] = _record_id(name, arguments[name], user)
                record = func(*bound.args, **bound.kwargs)
        except ObjectDoesNotExist:
            raise ValidationError(_("The record was not found.")) from None
        except TransitionNotAllowed:
            raise ValidationError(_("The record's current state does not allow this.")) from None
        except ConcurrentTransition:
            raise ValidationError(
                _("Someone changed the record at the same time; read it again and retry.")
            ) from None
        except DataError:
            raise ValidationError(_("A value is too large or too long to store.")) from None
        return type(record)._default_manager.get(pk=record.pk)

    return wrapper


def to_decimal(value, *, field: str) -> Decimal:
    """A number given as Decimal, int, float or text, read through its text form."""
    try:
        if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
            raise InvalidOperation
        number = Decimal(str(value).strip())
        if not number.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise ValidationError(
            {field: _("Enter a number, not %(value)r.") % {"value": value}}
        ) from None
    return number


def workflow_step(name, service, record_id, extra, doc, *, module):
    """The API function ``name(record_id, *, extra=default, user)`` of one workflow step:
    an ``operation`` that calls ``service(record_id=..., by=user, extra=...)`` and returns
    the record (a ``RECORD_IDS`` model). ``extra`` is a (keyword, default) pair or None."""
    parameters = [inspect.Parameter(record_id, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    if extra:
        keyword, default = extra
        parameters.append(
            inspect.Parameter(keyword, inspect.Parameter.KEYWORD_ONLY, default=default)
        )
    parameters.append(inspect.Parameter("user", inspect.Parameter.KEYWORD_ONLY))
    signature = inspect.Signature(parameters, return_annotation=RECORD_IDS[record_id])

    def step(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()  # an omitted extra keyword reaches the service as its default
        arguments = dict(bound.arguments)
        return service(by=arguments.pop("user"), **arguments)

    step.__name__ = step.__qualname__ = name
    step.__module__ = module
    step.__doc__ = inspect.cleandoc(doc)
    step.__signature__ = signature
    step.__annotations__ = {"return": signature.return_annotation}
    return operation(step)
