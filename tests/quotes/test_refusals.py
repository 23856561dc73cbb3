"""A refused quote step says why in a whole sentence, in English and in Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from quotes import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def cancelled(draft, salesperson):
    return services.cancel_quote(quote_id=draft.pk, by=salesperson)


#: What is asked of which quote, by whom, and the refusal in English and in Chinese.
REFUSALS = {
    "send a draft": (
        "draft",
        lambda quote, user: services.send_quote(quote_id=quote.pk, by=user("salesperson")),
        "This quote is “Draft”, so it cannot be sent: only an approved quote can.",
        "该报价单当前为“草稿”状态，不能发送：只有已批准的报价单可以发送。",
    ),
    "approve twice": (
        "approved",
        lambda quote, user: services.approve_quote(quote_id=quote.pk, by=user("other_manager")),
        "This quote has already been approved.",
        "该报价单已被批准，无需再次批准。",
    ),
    "submit twice": (
        "pending",
        lambda quote, user: services.submit_quote(quote_id=quote.pk, by=user("salesperson")),
        "This quote is already waiting for approval.",
        "该报价单已提交，正在等待审批。",
    ),
    "change once submitted": (
        "pending",
        lambda quote, user: services.update_quote(
            quote_id=quote.pk, by=user("salesperson"), notes="Later"
        ),
        "This quote is “Pending approval”, so it can no longer be changed: only a draft can.",
        "该报价单当前为“待审批”状态，已不能修改：只有草稿可以修改。",
    ),
    "submit once cancelled": (
        "cancelled",
        lambda quote, user: services.submit_quote(quote_id=quote.pk, by=user("salesperson")),
        "This quote has been cancelled: it is closed.",
        "该报价单已取消，不能再进行任何操作。",
    ),
    "cancel twice": (
        "cancelled",
        lambda quote, user: services.cancel_quote(quote_id=quote.pk, by=user("salesperson")),
        "This quote is already cancelled.",
        "该报价单已取消，无需再次取消。",
    ),
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", REFUSALS)
def test_a_refused_step_says_why_in_a_whole_sentence(request, case, language):
    fixture, step, english, chinese = REFUSALS[case]
    quote = request.getfixturevalue(fixture)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        step(quote, request.getfixturevalue)
    assert refused.value.messages == [english if language == "en" else chinese]
    assert services.Quote.objects.get(pk=quote.pk).status == quote.status
