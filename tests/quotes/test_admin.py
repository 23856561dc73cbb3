from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from quotes import services
from quotes.models import ApprovalRule, Quote
from tests.factories import quote_with_lines

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:quotes_quote_changelist")


def change_url(quote):
    return reverse("admin:quotes_quote_change", args=[quote.pk])


def post_change(client, quote, data, **kwargs):
    """POST the change form as a browser does, with the (read-only) lines' management form."""
    count = str(quote.lines.count())
    management = {
        "lines-TOTAL_FORMS": count,
        "lines-INITIAL_FORMS": count,
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "0",
    }
    return client.post(change_url(quote), {**management, **data}, **kwargs)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def submitted(opportunity, by):
    quote = quote_with_lines(opportunity=opportunity, created_by=by)
    return services.submit_quote(quote_id=quote.pk, by=by)


def test_manager_lists_quotes_pending_approval(manager_client, pending, opportunity):
    other = quote_with_lines(opportunity=opportunity)
    response = manager_client.get(CHANGELIST, {"status__exact": "pending_approval"})
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == [pending] and other not in shown
    response = manager_client.get(CHANGELIST, {"q": pending.customer.name})
    assert set(response.context["cl"].result_list) == {pending, other}
    assert manager_client.get(CHANGELIST, {"q": pending.number}).context["cl"].result_count == 1


def test_status_and_totals_are_read_only(manager_client, draft):
    response = manager_client.get(change_url(draft))
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert set(fields) == {"valid_until", "terms", "notes"}
    valid_until = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = post_change(
        manager_client,
        draft,
        {
            "valid_until": valid_until,
            "terms": "Net 60",
            "notes": "",
            "status": "approved",
            "total": "1.00",
            "number": "HACK",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.terms, draft.valid_until.isoformat()) == ("Net 60", valid_until)
    assert (draft.status, draft.total, draft.number) == ("draft", Decimal("1900.00"), draft.number)
    assert list(draft.lines.values_list("line_total", flat=True)) == [
        Decimal("1000.00"),
        Decimal("900.00"),
    ]


def test_submitted_quote_is_read_only_in_admin(manager_client, pending):
    response = manager_client.get(change_url(pending))
    assert not response.context["adminform"].form.fields
    post_change(manager_client, pending, {"terms": "Changed behind the back"})
    pending.refresh_from_db()
    assert pending.terms == ""


def test_past_valid_until_in_admin_is_a_message_not_a_save(manager_client, draft):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = post_change(
        manager_client, draft, {"valid_until": yesterday, "terms": "", "notes": ""}, follow=True
    )
    assert any("past" in m for m in messages_of(response))
    assert not any("changed successfully" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.valid_until > timezone.localdate()


def test_no_adding_quotes_in_admin(manager_client):
    assert manager_client.get(reverse("admin:quotes_quote_add")).status_code == 403


def test_approve_action_goes_through_the_service_with_four_eyes(
    client, manager, opportunity, salesperson
):
    theirs = submitted(opportunity, salesperson)
    mine = submitted(opportunity, manager)
    draft = quote_with_lines(opportunity=opportunity)
    client.force_login(manager)
    response = client.post(
        CHANGELIST,
        {"action": "approve_selected", "_selected_action": [theirs.pk, mine.pk, draft.pk]},
        follow=True,
    )
    statuses = dict(Quote.objects.values_list("pk", "status"))
    assert statuses == {
        theirs.pk: "approved",
        mine.pk: "pending_approval",
        draft.pk: "draft",
    }
    texts = messages_of(response)
    assert "1 quote approved." in texts
    assert any(t.startswith(f"{mine.number}:") and "created or submitted" in t for t in texts)
    assert any(t.startswith(f"{draft.number}:") for t in texts)
    assert StateLog.objects.for_(theirs).get(state="approved").by == manager


def test_reject_action_asks_for_a_reason_first(manager_client, pending, manager):
    data = {"action": "reject_selected", "_selected_action": [pending.pk]}
    page = manager_client.post(CHANGELIST, data)
    assert page.status_code == 200 and b'name="reason"' in page.content
    assert Quote.objects.get(pk=pending.pk).status == "pending_approval"
    page = manager_client.post(CHANGELIST, {**data, "apply": "1", "reason": ""})
    assert page.status_code == 200  # the form again, with its error
    assert Quote.objects.get(pk=pending.pk).status == "pending_approval"
    response = manager_client.post(
        CHANGELIST, {**data, "apply": "1", "reason": "Margin below 20 %"}, follow=True
    )
    assert "1 quote rejected." in messages_of(response)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.decision_reason) == (
        "rejected",
        manager,
        "Margin below 20 %",
    )


def test_change_page_buttons_approve_and_reject_through_the_service(
    manager_client, manager, opportunity, salesperson
):
    quote = submitted(opportunity, salesperson)
    page = manager_client.get(change_url(quote))
    assert page.context["can_decide"] and b'name="_approve"' in page.content
    response = post_change(manager_client, quote, {"_reject": "1"}, follow=True)
    assert any("why" in m.lower() for m in messages_of(response))
    assert Quote.objects.get(pk=quote.pk).status == "pending_approval"
    response = post_change(
        manager_client, quote, {"_reject": "1", "_decision_reason": "Too cheap"}, follow=True
    )
    assert response.redirect_chain[-1][0] == change_url(quote)
    quote.refresh_from_db()
    assert (quote.status, quote.decision_reason) == ("rejected", "Too cheap")

    other = submitted(opportunity, salesperson)
    post_change(manager_client, other, {"_approve": "1", "_decision_reason": "Fine"})
    other.refresh_from_db()
    assert (other.status, other.decided_by, other.decision_reason) == ("approved", manager, "Fine")


def test_change_page_enforces_four_eyes(client, manager, opportunity):
    quote = submitted(opportunity, manager)
    client.force_login(manager)
    page = client.get(change_url(quote))
    assert not page.context["can_decide"] and page.context["four_eyes_blocked"]
    assert b'name="_approve"' not in page.content
    response = post_change(client, quote, {"_approve": "1"}, follow=True)
    assert any("created or submitted" in m for m in messages_of(response))
    assert Quote.objects.get(pk=quote.pk).status == "pending_approval"


def test_salesperson_cannot_open_admin(sales_client, pending):
    for url in (CHANGELIST, change_url(pending), reverse("admin:quotes_approvalrule_changelist")):
        response = sales_client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = sales_client.post(
        CHANGELIST, {"action": "approve_selected", "_selected_action": [pending.pk]}
    )
    assert response.status_code == 302
    assert Quote.objects.get(pk=pending.pk).status == "pending_approval"


def test_manager_edits_the_approval_policy(manager_client):
    add = reverse("admin:quotes_approvalrule_add")
    response = manager_client.post(
        add,
        {
            "name": "Small renewals",
            "max_total": "3000",
            "max_discount_percent": "5",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = ApprovalRule.objects.get()
    assert (rule.max_total, rule.max_discount_percent, rule.is_active) == (
        Decimal("3000.00"),
        Decimal("5.00"),
        True,
    )
    listing = manager_client.get(reverse("admin:quotes_approvalrule_changelist"))
    assert listing.status_code == 200 and b"Small renewals" in listing.content
