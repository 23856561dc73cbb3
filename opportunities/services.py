"""Every change to opportunities. Views, board, admin actions and the API call these.

A stage changes only through `change_stage`, inside a transaction with the row locked, so
two people moving the same deal at once leave one consistent history: each recorded step
starts from the stage the previous one ended in.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.roles import is_manager
from crm.values import to_date, to_money
from crm.workflow import Workflow
from customers.models import Customer
from opportunities.models import Opportunity
from opportunities.stages import OPEN_STAGES, STAGE_PROBABILITY, Stage
from webhooks import outbox
from webhooks.events import EventType

DETAIL_FIELDS = ("name", "amount", "expected_close_date", "next_step", "description")

# Whole sentences, so that each language can say them its own way; a stage appears only as
# its label, in quotes.
WORKFLOW = Workflow(
    Opportunity,
    field="stage",
    actions={
        "move": gettext_lazy(
            "This opportunity's stage is “%(stage)s”, so it cannot move to another stage."
        ),
        "win": gettext_lazy("This opportunity's stage is “%(stage)s”, so it cannot be marked won."),
        "lose": gettext_lazy(
            "This opportunity's stage is “%(stage)s”, so it cannot be marked lost."
        ),
        "reopen": gettext_lazy(
            "This opportunity's stage is “%(stage)s”, so it cannot be reopened: "
            "only a lost one can."
        ),
    },
    on_step=outbox.recorder(
        {
            "move": EventType.OPPORTUNITY_STAGE_CHANGED,
            "reopen": EventType.OPPORTUNITY_STAGE_CHANGED,
            "win": EventType.OPPORTUNITY_WON,
            "lose": EventType.OPPORTUNITY_LOST,
        }
    ),
    closed={
        Stage.WON: gettext_lazy("This opportunity has been won: its stage can no longer change."),
    },
    cases={
        (Stage.LOST, "win"): gettext_lazy(
            "This opportunity was lost: reopen it in an open stage before marking it won."
        ),
    },
)


def _visible_customer(customer_id, by) -> Customer:
    customer = Customer.objects.visible_to(by).active().filter(pk=customer_id).first()
    if customer is None:
        raise ValidationError({"customer": _("Choose one of your current customers.")})
    return customer


def _clean_details(values: dict) -> dict:
    unknown = set(values) - {*DETAIL_FIELDS, "probability"}
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "amount" in values:
        values["amount"] = to_money(values["amount"], field="amount")
    if "expected_close_date" in values:
        values["expected_close_date"] = to_date(
            values["expected_close_date"], field="expected_close_date"
        )
    return values


def _apply_probability(opportunity: Opportunity, probability) -> None:
    """An explicit probability overrides the stage default; None goes back to the default."""
    if probability in (None, ""):
        opportunity.probability_is_custom = False
        opportunity.probability = STAGE_PROBABILITY[opportunity.stage]
        return
    try:
        probability = int(probability)
    except (TypeError, ValueError):
        raise ValidationError(
            {"probability": _("Enter a whole percentage from 0 to 100.")}
        ) from None
    if not 0 <= probability <= 100:
        raise ValidationError({"probability": _("Enter a whole percentage from 0 to 100.")})
    if not opportunity.is_open:
        raise ValidationError({"probability": _("A closed opportunity keeps its probability.")})
    opportunity.probability = probability
    opportunity.probability_is_custom = probability != STAGE_PROBABILITY[opportunity.stage]


def create_opportunity(
    *, by, customer_id, stage=Stage.PROSPECTING, owner=None, **values
) -> Opportunity:
    """Open a deal on a customer ``by`` may see, in any open stage, owned by ``by`` (a
    manager may name another ``owner``).

    The probability comes from the stage unless ``probability`` is given.
    """
    owner = owner or by
    if owner != by and not is_manager(by):
        raise PermissionDenied(_("Only a sales manager can open a deal for someone else."))
    customer = _visible_customer(customer_id, by)
    if stage not in OPEN_STAGES:
        raise ValidationError({"stage": _("A new opportunity starts in an open stage.")})
    probability = values.pop("probability", None)
    values = _clean_details(values)
    values.setdefault("name", _("Opportunity with %(customer)s") % {"customer": customer.name})
    opportunity = Opportunity(customer=customer, owner=owner, stage=stage, **values)
    _apply_probability(opportunity, probability)
    # The check constraints (probability <= 100, amount >= 0) repeat the fields' validators;
    # left to the database at save, they cost no query each here (an import makes thousands).
    opportunity.full_clean(exclude=["customer", "owner", "stage"], validate_constraints=False)
    with transaction.atomic():
        opportunity.save()
        outbox.record(EventType.OPPORTUNITY_CREATED, opportunity)
    return opportunity


def update_opportunity(*, opportunity_id, by, **values) -> Opportunity:
    """Change a deal's details; its stage is not among them (see `change_stage`)."""
    with WORKFLOW.locked(opportunity_id, by=by) as opportunity:
        has_probability = "probability" in values
        probability = values.pop("probability", None)
        for name, value in _clean_details(values).items():
            setattr(opportunity, name, value)
        if has_probability and (probability is not None or opportunity.probability_is_custom):
            _apply_probability(opportunity, probability)
        opportunity.full_clean(exclude=["customer", "owner", "stage"])
        opportunity.save()
        outbox.record(EventType.OPPORTUNITY_UPDATED, opportunity)
    return opportunity


def change_stage(*, opportunity_id, by, to, note: str = "") -> Opportunity:
    """Move a deal to stage ``to``: among open stages, to won, to lost (``note`` is then the
    required reason), or from lost back to an open stage. Anything else is refused with a
    message and changes nothing. Each change is recorded with who, when, from, to and note.
    """
    note = (note or "").strip()
    with WORKFLOW.locked(opportunity_id, by=by) as opportunity:
        if to == opportunity.stage:
            raise ValidationError(_("The opportunity is already in this stage."))
        if to == Stage.LOST:
            if not note:
                raise ValidationError({"note": _("Say why the opportunity was lost.")})
            action, kwargs = "lose", {"reason": note}
        elif to == Stage.WON:
            action, kwargs = "win", {}
        elif to in OPEN_STAGES and opportunity.stage == Stage.LOST:
            action, kwargs = "reopen", {"to": to}
        elif to in OPEN_STAGES:
            action, kwargs = "move", {"to": to}
        else:
            raise ValidationError(_("Unknown stage."))
        WORKFLOW.run(opportunity, action, by=by, note=note, **kwargs)
    return opportunity


def allowed_stages(opportunity: Opportunity) -> list[str]:
    """The stages a person may move this deal to now (for buttons and the board)."""
    if opportunity.stage == Stage.LOST:
        return list(OPEN_STAGES)
    if opportunity.stage == Stage.WON:
        return []
    return [s for s in (*OPEN_STAGES, Stage.WON, Stage.LOST) if s != opportunity.stage]


def reassign_opportunities(*, opportunity_ids, new_owner, by) -> int:
    """Credit deals to another salesperson (managers only); returns how many moved.

    Who may see a deal follows its customer's owner, so this changes whose pipeline and
    forecast the deal counts in, not who can open it.
    """
    if not is_manager(by):
        raise PermissionDenied(_("Only a sales manager can reassign opportunities."))
    if not new_owner.is_active:
        raise ValidationError(_("The new owner must be an active user."))
    with transaction.atomic():
        return (
            Opportunity.objects.filter(pk__in=list(opportunity_ids))
            .exclude(owner=new_owner)
            .update(owner=new_owner, updated_at=timezone.now())
        )


def mark_won(*, opportunity_id, by, note: str = "") -> Opportunity:
    """Record that a deal is won because its order was confirmed. An open deal moves to won;
    a lost one is reopened first (both steps recorded); a won one stays as it is."""
    with WORKFLOW.locked(opportunity_id, by=by) as opportunity:
        if opportunity.stage == Stage.WON:
            return opportunity
        if opportunity.stage == Stage.LOST:
            opportunity.reopen(to=Stage.NEGOTIATION, by=by, description=note or None)
        opportunity.win(by=by, description=note or None)
        opportunity.save()
        outbox.record(EventType.OPPORTUNITY_WON, opportunity)
    return opportunity
