"""A refused order step says why in a whole sentence, in English and in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from orders import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed_order(confirmed_order, salesperson):
    services.fulfil_order(order_id=confirmed_order.pk, by=salesperson)
    return services.complete_order(order_id=confirmed_order.pk, by=salesperson)


#: What is asked of which order, by whom, and the refusal in English and in Chinese.
REFUSALS = {
    "fulfil before approval": (
        "pending_order",
        lambda order, user: services.fulfil_order(order_id=order.pk, by=user("salesperson")),
        "This order is “Pending approval”, so it cannot be marked fulfilled: "
        "only a confirmed order can.",
        "该订单当前为“待审批”状态，不能标记为已交付：只有已确认的订单可以交付。",
    ),
    "reject once approved": (
        "confirmed_order",
        lambda order, user: services.reject_order(
            order_id=order.pk, by=user("other_manager"), reason="Late"
        ),
        "This order has already been approved; it can no longer be rejected.",
        "该订单已被批准，不能再驳回。",
    ),
    "approve a draft": (
        "draft_order",
        lambda order, user: services.approve_order(order_id=order.pk, by=user("manager")),
        "This order is still a draft: it has not been submitted for approval.",
        "该订单仍是草稿，尚未提交审批。",
    ),
    "cancel once completed": (
        "completed_order",
        lambda order, user: services.cancel_order(order_id=order.pk, by=user("salesperson")),
        "This order is completed: it is closed.",
        "该订单已完成，不能再进行任何操作。",
    ),
    "change the notes once confirmed": (
        "confirmed_order",
        lambda order, user: services.update_order(
            order_id=order.pk, by=user("salesperson"), notes="Later"
        ),
        "This order is “Confirmed”, so its notes can no longer change.",
        "该订单当前为“已确认”状态，备注已不能修改。",
    ),
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_step_says_why_in_a_whole_sentence(request, case, language):
    fixture, step, english, chinese = REFUSALS[case]
    order = request.getfixturevalue(fixture)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        step(order, request.getfixturevalue)
    assert refused.value.messages == [english if language == "en" else chinese]
    assert services.Order.objects.get(pk=order.pk).status == order.status
