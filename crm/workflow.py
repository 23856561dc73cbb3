"""State changes written once: lock the row, check, run the transition, save, or refuse.

Quotes, orders and opportunities change state the same way, so the rule lives here:

1. inside a transaction, ``lock`` the row among those the user may see: two people acting
   at once queue on the lock, and the second finds the state already moved;
2. ``check`` the permission (where the action needs one) and that the state allows the
   step (django-fsm's ``can_proceed``); a refusal is a ``ValidationError`` whose text is a
   whole sentence, chosen for that state and action, that a translator can say naturally;
3. ``run`` the transition with who and why (django-fsm-log records both) and save.

A new workflow describes itself once, in its app's services module::

    WORKFLOW = Workflow(
        Invoice,
        actions={"pay": gettext_lazy("This invoice is “%(status)s”, so it cannot be paid.")},
        cases={(Invoice.Status.PAID, "pay"): gettext_lazy("This invoice is already paid.")},
    )
    pay_invoice = WORKFLOW.service("pay", doc="Mark an issued invoice paid.")

A step with rules of its own (four eyes, a date) writes its service with ``locked``,
``check`` and ``run``, and puts its own checks between the last two.

``on_step(record, action)``, when given, is called after every step ``run`` saves, inside the
same transaction: the apps record their webhook events there (webhooks.outbox.recorder),
which crm, below them, does not know of.
"""

import inspect
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description


def logged_transition(**options):
    """django-fsm's ``@transition(**options)`` whose every run django-fsm-log records with
    who (``by=``) and why (``description=``): the history each record's page shows."""

    def decorate(method):
        return fsm_log_by(fsm_log_description(transition(**options)(method)))

    return decorate


def lock(model, pk, *, by):
    """Row ``pk`` of ``model`` among those ``by`` may see, locked until the surrounding
    transaction ends (``model.DoesNotExist`` when ``by`` may not see it)."""
    # of=("self",): only this row. Should visible_to ever reach the owner through a join,
    # the customer's row must stay free for everyone else working on that customer.
    return model.objects.visible_to(by).select_for_update(of=("self",)).get(pk=pk)


@contextmanager
def locked(model, pk, *, by):
    """A transaction holding row ``pk`` of ``model`` locked: ``with locked(...) as record:``.
    Anything raised inside undoes everything done there."""
    with transaction.atomic():
        yield lock(model, pk, by=by)


def refusal_message(error: ValidationError | PermissionDenied) -> str:
    """The text of a service's refusal, for a message on the page."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You are not allowed to do that.")


class Workflow:
    """The state changes of one model: its lock, its checks and its refusal sentences.

    ``actions`` gives, for every action a person can ask for, the sentence that refuses it
    (``%(status)s`` is the state's label, or ``%(<field>)s`` for another state field); a
    state in ``closed`` refuses every action with its own sentence; ``cases`` gives a
    sentence of its own to a (state, action) pair and wins over both. ``steps`` names the
    transition of an action whose method is called otherwise; ``permissions`` the permission
    an action needs, refused with ``permission_denied``. ``on_step(record, action)`` runs
    after each step is saved, in its transaction.
    """

    def __init__(
        self,
        model,
        *,
        actions,
        closed=None,
        cases=None,
        steps=None,
        permissions=None,
        permission_denied=None,
        field="status",
        on_step=None,
    ):
        self.model, self.field = model, field
        self.actions, self.closed, self.cases = actions, closed or {}, cases or {}
        self.steps, self.permissions = steps or {}, permissions or {}
        self.permission_denied = permission_denied
        self.on_step = on_step
        self.name = model._meta.model_name

    def lock(self, pk, *, by):
        return lock(self.model, pk, by=by)

    def locked(self, pk, *, by):
        return locked(self.model, pk, by=by)

    def sentence(self, record, action: str) -> str:
        """Why ``action`` cannot happen to ``record`` in its present state, in the active
        language."""
        state = getattr(record, self.field)
        text = self.cases.get((state, action)) or self.closed.get(state) or self.actions[action]
        label = getattr(record, f"get_{self.field}_display")()
        return str(text) % {self.field: label}

    def refuse(self, record, action: str):
        raise ValidationError(self.sentence(record, action), code="not_allowed")

    def check(self, record, action: str, *, by=None, allowed=None) -> None:
        """Refuse ``action`` unless ``by`` holds its permission (when it needs one) and the
        state allows it: ``allowed`` when given (for a rule beyond the transition's sources),
        else django-fsm's ``can_proceed``."""
        permission = self.permissions.get(action)
        # The permission itself, before the state and not has_transition_perm: that one is
        # also False when the state does not allow the step, which would tell a manager who
        # comes second that they are not one.
        if permission and not (by is not None and by.has_perm(permission)):
            raise PermissionDenied(self.permission_denied or _("You are not allowed to do that."))
        if allowed is None:
            allowed = can_proceed(self._step(record, action))
        if not allowed:
            self.refuse(record, action)

    def run(self, record, action: str, *, by, note: str = "", **arguments) -> None:
        """Check ``action`` again, run its transition on the locked ``record`` with ``by`` and
        ``note`` as the recorded description, and save. ``arguments`` go to the transition."""
        self.check(record, action, by=by)
        description = (note or "").strip() or None
        self._step(record, action)(by=by, description=description, **arguments)
        record.save()
        if self.on_step is not None:
            self.on_step(record, action)

    def service(self, action: str, *, doc: str):
        """The service of a step that needs nothing but a record ``by`` may see in a state
        that allows it: ``<action>_<model>(*, <model>_id, by, note="")``, for example
        ``cancel_quote(*, quote_id, by, note="")``, returning the changed record."""
        id_name = f"{self.name}_id"
        keyword = inspect.Parameter.KEYWORD_ONLY
        # The id under its real name, as a hand-written service would declare it: calls are
        # checked against it (the usual TypeError), and help() and editors show it.
        signature = inspect.Signature(
            [
                inspect.Parameter(id_name, keyword),
                inspect.Parameter("by", keyword),
                inspect.Parameter("note", keyword, default="", annotation=str),
            ],
            return_annotation=self.model,
        )

        def service(*args, **kwargs):
            call = signature.bind(*args, **kwargs)
            call.apply_defaults()
            pk, by, note = (call.arguments[name] for name in (id_name, "by", "note"))
            with self.locked(pk, by=by) as record:
                self.run(record, action, by=by, note=note)
            return record

        service.__name__ = service.__qualname__ = f"{action}_{self.name}"
        service.__doc__ = doc
        service.__signature__ = signature
        return service

    def _step(self, record, action: str):
        return getattr(record, self.steps.get(action, action))
