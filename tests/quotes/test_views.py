import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_fsm_log.models import StateLog

from quotes import services
from quotes.models import Quote
from tests.factories import (
    ApprovalRuleFactory,
    CustomerFactory,
    OpportunityFactory,
    QuoteFactory,
    quote_with_lines,
)

pytestmark = pytest.mark.django_db

ACTIONS = ("submit", "approve", "reject", "revise", "send", "accept", "decline", "cancel")


def in_days(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def page_urls(quote):
    return [
        reverse("quotes:detail", kwargs={"pk": quote.pk}),
        reverse("quotes:update", kwargs={"pk": quote.pk}),
        reverse("quotes:print", kwargs={"pk": quote.pk}),
        reverse("quotes:export") + f"?id={quote.pk}",
        reverse("quotes:list") + f"?id={quote.pk}",
        reverse("quotes:create") + f"?opportunity={quote.opportunity_id}",
    ]


def action_url(quote, action):
    return reverse("quotes:transition", kwargs={"pk": quote.pk, "action": action})


def form_data(*lines, prefix="lines", initial=0, **overrides):
    """A complete POST for the quote form: ``lines`` are (description, quantity, unit price,
    discount) tuples, or dicts of extra fields (e.g. DELETE)."""
    data = {
        "valid_until": in_days(30),
        "terms": "Payment within 30 days.",
        "notes": "",
        f"{prefix}-TOTAL_FORMS": str(len(lines)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, values in enumerate(lines):
        if isinstance(values, dict):
            row = values
        else:
            description, quantity, unit_price, discount = values
            row = {
                "description": description,
                "quantity": quantity,
                "unit_price": unit_price,
                "discount_percent": discount,
            }
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    data.update(overrides)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# Access: owner and manager 200, teammate 404, anonymous to the login page


def test_owner_and_manager_open_every_page_of_a_quote(sales_client, manager_client, draft):
    for client in (sales_client, manager_client):
        for url in page_urls(draft):
            assert client.get(url).status_code == 200, url
    for client in (sales_client, manager_client):
        assert client.get(reverse("quotes:list")).status_code == 200
        assert client.get(reverse("quotes:export")).status_code == 200


def test_teammate_gets_404_on_every_url_of_someone_elses_quote(teammate_client, pending):
    for url in page_urls(pending):
        assert teammate_client.get(url).status_code == 404, url
    for action in ACTIONS:
        response = teammate_client.post(action_url(pending, action), {"reason": "x"})
        assert response.status_code == 404, action
    update = reverse("quotes:update", kwargs={"pk": pending.pk})
    assert teammate_client.post(update, form_data(("Hijack", "1", "1", "0"))).status_code == 404
    pending.refresh_from_db()
    assert pending.status == "pending_approval"
    assert StateLog.objects.for_(pending).count() == 1


def test_anonymous_is_sent_to_login(client, draft):
    responses = [client.get(url) for url in [*page_urls(draft), reverse("quotes:list")]]
    responses += [client.post(action_url(draft, action)) for action in ACTIONS]
    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert Quote.objects.get(pk=draft.pk).status == "draft"


def test_actions_refuse_get(sales_client, manager_client, pending):
    for client in (sales_client, manager_client):
        for action in ACTIONS:
            assert client.get(action_url(pending, action)).status_code == 405, action


def test_unknown_action_is_404(sales_client, draft):
    assert sales_client.post(action_url(draft, "publish")).status_code == 404


# Create


def test_create_page_shows_the_opportunity_and_its_customer(sales_client, opportunity):
    response = sales_client.get(reverse("quotes:create"), {"opportunity": opportunity.pk})
    assert response.status_code == 200
    assert opportunity.name in response.text and opportunity.customer.name in response.text
    assert response.context["form"].initial["valid_until"] == timezone.localdate() + timedelta(
        days=30
    )


def test_create_without_an_opportunity_sends_to_the_opportunities(sales_client):
    for query in ({}, {"opportunity": "abc"}):
        response = sales_client.get(reverse("quotes:create"), query)
        assert response.status_code == 302
        assert response["Location"] == reverse("opportunities:list")


def test_salesperson_creates_a_quote_with_lines(sales_client, opportunity, salesperson):
    response = sales_client.post(
        reverse("quotes:create") + f"?opportunity={opportunity.pk}",
        form_data(
            ("Licences", "10", "120.00", "10"),
            ("Training day", "1", "800.00", ""),
            ("", "", "", ""),  # an empty row is ignored
        ),
    )
    quote = Quote.objects.get()
    assert response.status_code == 302 and response["Location"] == quote.get_absolute_url()
    assert (quote.opportunity, quote.customer, quote.created_by, quote.status) == (
        opportunity,
        opportunity.customer,
        salesperson,
        "draft",
    )
    assert (quote.subtotal, quote.discount_total, quote.total) == (
        Decimal("2000.00"),
        Decimal("120.00"),
        Decimal("1880.00"),
    )
    assert list(quote.lines.values_list("description", flat=True)) == ["Licences", "Training day"]


def test_draft_may_be_saved_without_lines(sales_client, opportunity):
    url = reverse("quotes:create") + f"?opportunity={opportunity.pk}"
    response = sales_client.post(url, form_data(("", "", "", "")))
    assert response.status_code == 302
    assert Quote.objects.get().lines.count() == 0


def test_crafted_create_on_a_foreign_opportunity_is_refused(sales_client, foreign_opportunity):
    url = reverse("quotes:create") + f"?opportunity={foreign_opportunity.pk}"
    assert sales_client.get(url).status_code == 404
    response = sales_client.post(url, form_data(("Steal", "1", "1.00", "0")))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Quote.objects.exists()


def test_invalid_lines_and_past_date_show_on_the_form(sales_client, opportunity):
    url = reverse("quotes:create") + f"?opportunity={opportunity.pk}"
    response = sales_client.post(
        url, form_data(("Too generous", "1", "10.00", "150"), valid_until=in_days(-1))
    )
    assert response.status_code == 200
    assert response.context["formset"].errors[0]["discount_percent"]
    response = sales_client.post(
        url, form_data(("Fine", "1", "10.00", "0"), valid_until=in_days(-1))
    )
    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"]
    assert not Quote.objects.exists()


# Update


def test_owner_edits_the_lines_of_a_draft(sales_client, draft):
    url = reverse("quotes:update", kwargs={"pk": draft.pk})
    page = sales_client.get(url)
    assert page.context["formset"].initial_form_count() == 2
    response = sales_client.post(
        url,
        form_data(
            ("Item 1", "2", "1000.00", "0"),
            {
                "description": "Item 2",
                "quantity": "1",
                "unit_price": "1000.00",
                "discount_percent": "10",
                "DELETE": "on",
            },
            ("Added", "1", "50.00", "0"),
            initial=2,
            terms="New terms",
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.terms, draft.total) == ("New terms", Decimal("2050.00"))
    assert list(draft.lines.values_list("description", flat=True)) == ["Item 1", "Added"]


def test_posting_status_or_totals_to_the_forms_changes_nothing(sales_client, draft, opportunity):
    crafted = {
        "status": "approved",
        "total": "1.00",
        "subtotal": "1.00",
        "discount_total": "0",
        "number": "Q-HACK",
        "created_by": "1",
        "decided_by": "1",
        "auto_approved_by_rule": "Everything",
    }
    url = reverse("quotes:update", kwargs={"pk": draft.pk})
    form = form_data(
        ("Item 1", "1", "1000.00", "0"), ("Item 2", "1", "1000.00", "10"), initial=2, **crafted
    )
    assert sales_client.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.total, draft.number) == (
        "draft",
        Decimal("1900.00"),
        draft.number,
    )
    assert draft.number != "Q-HACK" and draft.auto_approved_by_rule == ""
    create = reverse("quotes:create") + f"?opportunity={opportunity.pk}"
    sales_client.post(create, form_data(("One", "1", "10.00", "0"), **crafted))
    created = Quote.objects.exclude(pk=draft.pk).get()
    assert (created.status, created.total, created.decided_by) == ("draft", Decimal("10.00"), None)


def test_a_submitted_quote_cannot_be_edited(sales_client, pending):
    url = reverse("quotes:update", kwargs={"pk": pending.pk})
    response = sales_client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == pending.get_absolute_url()
    assert any("only a draft" in m for m in messages_of(response))
    response = sales_client.post(url, form_data(("Cheaper", "1", "1.00", "0"), initial=2))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.total == Decimal("1900.00")
    assert "Cheaper" not in pending.lines.values_list("description", flat=True)


# Detail and actions


def test_detail_shows_lines_totals_and_only_the_allowed_buttons(
    sales_client, manager_client, draft
):
    response = sales_client.get(draft.get_absolute_url())
    assert response.context["actions"] == ["submit", "cancel"]
    text = response.text
    assert "Item 2" in text and "CNY 1,900.00" in text and "CNY 2,000.00" in text
    assert action_url(draft, "submit") in text and action_url(draft, "approve") not in text


def test_submit_and_approve_through_the_buttons(sales_client, manager_client, draft, manager):
    response = sales_client.post(action_url(draft, "submit"), follow=True)
    assert response.redirect_chain[-1][0] == draft.get_absolute_url()
    assert "approve" not in response.context["actions"]
    page = manager_client.get(draft.get_absolute_url())
    assert page.context["actions"] == ["approve", "reject", "cancel"]
    response = manager_client.post(action_url(draft, "approve"), {"note": "OK"}, follow=True)
    assert any("approved" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert (draft.status, draft.decided_by) == ("approved", manager)
    history = response.context["history"]
    assert [(h["source"], h["target"]) for h in history] == [
        ("Pending approval", "Approved"),
        ("Draft", "Pending approval"),
    ]
    assert history[0]["by"] == manager and history[0]["note"] == "OK"


def test_salesperson_posting_approve_gets_a_message_and_nothing_changes(sales_client, pending):
    response = sales_client.post(action_url(pending, "approve"), follow=True)
    assert response.status_code == 200
    assert any("manager" in m for m in messages_of(response))
    pending.refresh_from_db()
    assert pending.status == "pending_approval"


def test_manager_cannot_approve_their_own_quote_on_the_page(client, manager, opportunity):
    client.force_login(manager)
    quote = quote_with_lines(opportunity=opportunity, created_by=manager)
    client.post(action_url(quote, "submit"))
    page = client.get(quote.get_absolute_url())
    assert "approve" not in page.context["actions"] and page.context["four_eyes_blocked"]
    response = client.post(action_url(quote, "approve"), follow=True)
    assert any("created or submitted" in m for m in messages_of(response))
    quote.refresh_from_db()
    assert quote.status == "pending_approval"


def test_rejection_needs_a_reason_and_is_shown_prominently(manager_client, sales_client, pending):
    response = manager_client.post(action_url(pending, "reject"), {"reason": " "}, follow=True)
    assert any("why" in m.lower() for m in messages_of(response))
    assert Quote.objects.get(pk=pending.pk).status == "pending_approval"
    manager_client.post(action_url(pending, "reject"), {"reason": "Discount too deep"})
    page = sales_client.get(pending.get_absolute_url())
    assert 'id="rejection"' in page.text and "Discount too deep" in page.text
    assert page.context["actions"] == ["revise", "cancel"]
    sales_client.post(action_url(pending, "revise"))
    assert Quote.objects.get(pk=pending.pk).status == "draft"


def test_refused_transitions_show_a_message_never_an_error(sales_client, opportunity, approved):
    draft = quote_with_lines(opportunity=opportunity)
    for quote, action in [
        (draft, "send"),
        (draft, "accept"),
        (draft, "revise"),
        (draft, "decline"),
        (approved, "submit"),
        (approved, "approve"),
    ]:
        before = Quote.objects.get(pk=quote.pk).status
        response = sales_client.post(action_url(quote, action), follow=True)
        assert response.status_code == 200, action
        assert [m.level for m in response.context["messages"]] == [messages.ERROR], action
        assert Quote.objects.get(pk=quote.pk).status == before


def test_expired_warning_and_no_accept_past_validity(sales_client, approved):
    Quote.objects.filter(pk=approved.pk).update(valid_until=timezone.localdate() - timedelta(1))
    page = sales_client.get(approved.get_absolute_url())
    assert 'id="expired-warning"' in page.text
    assert page.context["actions"] == ["revise", "cancel"]  # a new revision, newly valid
    response = sales_client.post(action_url(approved, "accept"), follow=True)
    assert any("expired" in m for m in messages_of(response))
    assert Quote.objects.get(pk=approved.pk).status == "approved"


def test_automatic_approval_is_named_in_the_history(sales_client, draft):
    ApprovalRuleFactory(name="Under five thousand")
    response = sales_client.post(action_url(draft, "submit"), follow=True)
    assert any("Under five thousand" in m for m in messages_of(response))
    newest = response.context["history"][0]
    assert newest["by"] is None and "Under five thousand" in newest["note"]
    assert "automatic" in response.text


def test_detail_renders_the_quote_panels(sales_client, draft, monkeypatch):
    asked = []

    def fake_panels(page, request, obj):
        asked.append((page, obj.pk))
        return [mark_safe(f'<div id="test-panel">panel for {obj.number}</div>')]

    monkeypatch.setattr("quotes.views.render_panels", fake_panels)
    page = sales_client.get(draft.get_absolute_url())
    assert asked == [("quote", draft.pk)]
    assert f'<div id="test-panel">panel for {draft.number}</div>' in page.text


def test_print_page_is_for_the_customer(sales_client, approved):
    Quote.objects.filter(pk=approved.pk).update(notes="Margin is thin, do not go lower")
    page = sales_client.get(reverse("quotes:print", kwargs={"pk": approved.pk}))
    text = page.text
    assert approved.number in text and approved.customer.name in text
    assert "CNY 1,900.00" in text and "Item 1" in text
    assert "Margin is thin" not in text
    assert "navbar" not in text and 'href="/static/css/print.css"' in text
    assert "style=" not in text and "<style" not in text
    assert 'id="not-approved"' not in text


def test_print_page_of_a_draft_says_it_is_not_an_offer(sales_client, draft):
    page = sales_client.get(reverse("quotes:print", kwargs={"pk": draft.pk}))
    assert 'id="not-approved"' in page.text


# Opportunity page panel


def test_opportunity_page_lists_its_quotes_and_offers_a_new_one(sales_client, draft, opportunity):
    text = sales_client.get(opportunity.get_absolute_url()).text
    assert 'id="quotes"' in text and draft.number in text
    assert f"{reverse('quotes:create')}?opportunity={opportunity.pk}" in text


def test_lost_opportunity_offers_no_new_quote(sales_client, customer):
    lost = OpportunityFactory(customer=customer, stage="lost", lost_reason="Price")
    text = sales_client.get(lost.get_absolute_url()).text
    assert f"{reverse('quotes:create')}?opportunity={lost.pk}" not in text


# List and export


def test_list_filters_search_and_sort(sales_client, customer, opportunity, foreign_customer):
    small = quote_with_lines(opportunity=opportunity, lines=((1, "100.00", "0"),))
    big = quote_with_lines(opportunity=opportunity, lines=((1, "90000.00", "0"),))
    services.submit_quote(quote_id=big.pk, by=customer.owner)
    other_customer = CustomerFactory(owner=customer.owner, name="Zebra Logistics")
    other = quote_with_lines(
        opportunity=OpportunityFactory(customer=other_customer),
        lines=((1, "500.00", "0"),),
        valid_until=timezone.localdate() + timedelta(days=90),
    )
    hidden = quote_with_lines(opportunity=OpportunityFactory(customer=foreign_customer))
    url = reverse("quotes:list")

    def numbers(query):
        return [q.number for q in sales_client.get(url, query).context["object_list"]]

    assert hidden.number not in numbers({})
    assert numbers({"status": "pending_approval"}) == [big.number]
    assert set(numbers({"status": "draft,pending_approval"})) == {
        small.number,
        big.number,
        other.number,
    }
    assert numbers({"total_min": "1000"}) == [big.number]
    assert numbers({"total_max": "200"}) == [small.number]
    assert numbers({"customer": other_customer.pk}) == [other.number]
    assert numbers({"valid_from": in_days(60)}) == [other.number]
    assert other.number not in numbers({"valid_to": in_days(60)})
    assert numbers({"q": "zebra"}) == [other.number]
    assert numbers({"q": small.number}) == [small.number]
    assert numbers({"sort": "total"}) == [small.number, other.number, big.number]
    assert numbers({"sort": "-total"}) == [big.number, other.number, small.number]
    assert numbers({}) == [other.number, big.number, small.number]  # newest first


def test_owner_filter_is_for_managers_only(
    sales_client, manager_client, draft, salesperson, teammate
):
    teammates = quote_with_lines(
        opportunity=OpportunityFactory(customer=CustomerFactory(owner=teammate))
    )
    url = reverse("quotes:list")
    listed = manager_client.get(url, {"owner": teammate.pk}).context["object_list"]
    assert [q.number for q in listed] == [teammates.number]
    response = sales_client.get(url, {"owner": teammate.pk})
    assert "owner" not in response.context["filterset"].form.fields
    assert [q.number for q in response.context["object_list"]] == [draft.number]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "junk"},
        {"total_min": "abc"},
        {"valid_from": "2020-13-45"},
        {"customer": "x"},
        {"owner": "999999"},
        {"sort": "-nope"},
        {"page": "-3"},
    ],
)
def test_junk_parameters_never_break_the_list(sales_client, draft, query):
    assert sales_client.get(reverse("quotes:list"), query).status_code == 200
    assert sales_client.get(reverse("quotes:export"), query).status_code == 200


def test_list_query_count_does_not_grow_with_rows(
    client, manager, salesperson, django_assert_num_queries
):
    opportunity = OpportunityFactory(customer=CustomerFactory(owner=salesperson))
    for user in (salesperson, manager):
        client.force_login(user)
        QuoteFactory.create_batch(5, opportunity=opportunity)
        with CaptureQueriesContext(connection) as small:
            client.get(reverse("quotes:list"))
        # Rows of other customers, opportunities and creators, on a full page.
        for _ in range(45):
            QuoteFactory(
                opportunity=OpportunityFactory(customer=CustomerFactory(owner=salesperson))
            )
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(reverse("quotes:list"))
        assert len(response.context["object_list"]) == 25
        Quote.objects.all().delete()


def test_export_has_exactly_the_filtered_rows(sales_client, opportunity, foreign_customer):
    for _ in range(30):
        quote_with_lines(opportunity=opportunity, lines=((2, "50.00", "10"),))
    QuoteFactory.create_batch(3, opportunity=opportunity)  # no lines: total 0
    quote_with_lines(opportunity=OpportunityFactory(customer=foreign_customer))
    query = {"total_min": "1", "sort": "number"}
    listed = sales_client.get(reverse("quotes:list"), query)
    assert listed.context["paginator"].count == 30
    response = sales_client.get(reverse("quotes:export"), query)
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content[1:])))
    expected = Quote.objects.filter(customer=opportunity.customer, total__gte=1).order_by("number")
    assert [r["Number"] for r in rows] == [q.number for q in expected]
    first = rows[0]
    assert (first["Status"], first["Subtotal"], first["Discount"], first["Total"]) == (
        "Draft",
        "100.00",
        "10.00",
        "90.00",
    )
    assert first["Customer"] == opportunity.customer.name
    assert first["Opportunity"] == opportunity.name
    assert first["Valid until"] == in_days(30)
