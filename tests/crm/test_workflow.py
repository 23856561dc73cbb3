"""crm/workflow.py: the lock, the checks, the run and the refusal sentences every workflow
shares. The quote's workflow stands in for any; the last tests walk every workflow's table."""

import inspect

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django_fsm_log.models import StateLog

from crm.workflow import Workflow, refusal_message
from opportunities import services as opportunity_services
from orders import services as order_services
from quotes import services as quote_services
from quotes.models import Quote
from tests.factories import OpportunityFactory, quote_with_lines

pytestmark = pytest.mark.django_db

WORKFLOWS = [quote_services.WORKFLOW, order_services.WORKFLOW, opportunity_services.WORKFLOW]
#: Every action a person can ask for, per workflow (buttons, edit pages, stage moves).
ACTIONS = {
    "quote": [*quote_services.ACTIONS, "change"],
    "order": [*order_services.ACTIONS, "change"],
    "opportunity": ["move", "win", "lose", "reopen"],
}


def toy_workflow():
    return Workflow(
        Quote,
        actions={"send": "Is “%(status)s”, not sent.", "revise": "Is “%(status)s”, not revised."},
        closed={Quote.Status.CANCELLED: "Closed."},
        cases={(Quote.Status.CANCELLED, "send"): "Cancelled, so never sent."},
    )


@pytest.fixture
def draft(customer):
    return quote_with_lines(opportunity=OpportunityFactory(customer=customer))


def test_a_case_wins_over_the_closed_state_which_wins_over_the_action():
    workflow = toy_workflow()
    cancelled = Quote(status=Quote.Status.CANCELLED)
    assert workflow.sentence(cancelled, "send") == "Cancelled, so never sent."
    assert workflow.sentence(cancelled, "revise") == "Closed."
    pending = Quote(status=Quote.Status.PENDING_APPROVAL)
    assert workflow.sentence(pending, "revise") == "Is “Pending approval”, not revised."


def test_the_state_is_its_label_in_the_active_language():
    pending = Quote(status=Quote.Status.PENDING_APPROVAL)
    with translation.override("zh-hans"):
        assert toy_workflow().sentence(pending, "send") == "Is “待审批”, not sent."


def test_a_refusal_is_a_validation_error_with_its_own_code():
    with pytest.raises(ValidationError) as refusal:
        toy_workflow().check(Quote(status=Quote.Status.DRAFT), "send")
    assert (refusal.value.code, refusal.value.messages) == (
        "not_allowed",
        ["Is “Draft”, not sent."],
    )
    assert refusal_message(refusal.value) == "Is “Draft”, not sent."


def test_the_permission_is_asked_before_the_state(salesperson, draft):
    """A salesperson is told they may not decide, not that the quote is not pending."""
    with pytest.raises(PermissionDenied) as refusal:
        quote_services.WORKFLOW.check(draft, "approve", by=salesperson)
    assert refusal_message(refusal.value) == "Only a sales manager can approve or reject quotes."


def test_a_refused_step_changes_nothing_and_records_nothing(salesperson, draft):
    with pytest.raises(ValidationError):
        quote_services.send_quote(quote_id=draft.pk, by=salesperson, note="Too soon")
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not StateLog.objects.for_(draft).exists()


def test_what_fails_inside_locked_is_undone(salesperson, draft):
    with pytest.raises(ValidationError), quote_services.WORKFLOW.locked(draft.pk, by=salesperson):
        Quote.objects.filter(pk=draft.pk).update(notes="Written, then undone")
        raise ValidationError("refused")
    draft.refresh_from_db()
    assert draft.notes == ""


def test_lock_finds_only_what_the_user_may_see(teammate, draft):
    with pytest.raises(Quote.DoesNotExist), quote_services.WORKFLOW.locked(draft.pk, by=teammate):
        pass


def test_run_records_who_and_the_note_without_its_blanks(salesperson, manager, draft):
    quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
    quote = quote_services.approve_quote(quote_id=draft.pk, by=manager, note="  Margin fine  ")
    entry = StateLog.objects.for_(quote).get(state="approved")
    assert (entry.by, entry.description) == (manager, "Margin fine")


@pytest.mark.parametrize(
    ("service", "id_name"),
    [
        (quote_services.revise_quote, "quote_id"),
        (quote_services.cancel_quote, "quote_id"),
        (order_services.fulfil_order, "order_id"),
        (order_services.cancel_order, "order_id"),
    ],
)
def test_a_built_service_has_the_name_and_signature_of_a_hand_written_one(service, id_name):
    action = service.__name__.split("_")[0]
    assert service.__name__ == f"{action}_{id_name.removesuffix('_id')}"
    parameters = inspect.signature(service).parameters
    assert [(p.name, p.kind, p.default) for p in parameters.values()] == [
        (id_name, inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.empty),
        ("by", inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.empty),
        ("note", inspect.Parameter.KEYWORD_ONLY, ""),
    ]
    assert service.__doc__


def test_a_built_service_refuses_another_id_or_positional_arguments(salesperson):
    with pytest.raises(TypeError):
        quote_services.cancel_quote(order_id=1, by=salesperson)
    with pytest.raises(TypeError):
        quote_services.cancel_quote(1, by=salesperson)
    with pytest.raises(TypeError):
        quote_services.cancel_quote(by=salesperson)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_every_action_has_a_whole_sentence_in_every_state_and_language(workflow):
    """No KeyError, no placeholder left, and the Chinese catalogue translates each one."""
    field = workflow.model._meta.get_field(workflow.field)
    for state, _label in field.choices:
        record = workflow.model(**{workflow.field: state})
        for action in ACTIONS[workflow.name]:
            english = workflow.sentence(record, action)
            with translation.override("zh-hans"):
                chinese = workflow.sentence(record, action)
            where = f"{workflow.name} {state} {action}"
            assert english.endswith(".") and "%(" not in english, where
            assert chinese.endswith("。") and "%(" not in chinese, where
            assert not any("a" <= c.lower() <= "z" for c in chinese), f"{where}: {chinese}"
