"""Notification e-mails (notifications.services, quotes.notifications, orders.notifications)
through a real SMTP server on 127.0.0.1 and the immediate task backend: who is told what, in
which language, with absolute links; nothing for a change rolled back or a person who turned
the e-mails off; the profile page; admin."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification
from notifications.services import notify, set_preference
from orders import services as order_services
from quotes import customer_answers, public_links
from quotes import services as quote_services
from quotes.models import ApprovalRule
from tests.factories import (
    ApprovalRuleFactory,
    ManagerFactory,
    OpportunityFactory,
    quote_with_lines,
)
from tests.smtp import IMMEDIATE_TASKS, smtp_server, use_smtp

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(settings):
    settings.TASKS = IMMEDIATE_TASKS
    settings.CRM_SITE_URL = "https://crm.example.test"
    with smtp_server() as mailbox:
        use_smtp(settings, mailbox)
        yield mailbox


@pytest.fixture
def draft(customer):
    return quote_with_lines(opportunity=OpportunityFactory(customer=customer))


def to(mailbox, user):
    return [mail for mail in mailbox.received if mail.recipients == [user.email]]


def test_managers_are_told_a_quote_waits_for_their_approval(
    draft, salesperson, manager, mailbox, django_capture_on_commit_callbacks
):
    other = ManagerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
    for person in (manager, other):
        [mail] = to(mailbox, person)
        assert mail.subject == f"Quote {draft.number} is waiting for your approval"
        assert f"https://crm.example.test/quotes/{draft.pk}/" in mail.text
        assert "(total CNY 1,000.00)" in mail.text  # as the pages write money
    assert not to(mailbox, salesperson)


def test_managers_are_told_when_a_rule_says_the_quote_needs_one(
    draft, salesperson, manager, mailbox, django_capture_on_commit_callbacks
):
    rule = ApprovalRuleFactory(action=ApprovalRule.Action.REQUIRE_MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        quote = quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
    assert (quote.status, quote.required_by_rule) == ("pending_approval", rule.name)
    [mail] = to(mailbox, manager)
    assert mail.subject == f"Quote {draft.number} is waiting for your approval"


def test_the_salesperson_is_told_the_decision_with_the_reason(
    draft, salesperson, manager, mailbox, django_capture_on_commit_callbacks
):
    quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
    with django_capture_on_commit_callbacks(execute=True):
        quote_services.reject_quote(quote_id=draft.pk, by=manager, reason="Discount too deep")
    [mail] = to(mailbox, salesperson)
    assert mail.subject == f"Quote {draft.number} was rejected"
    assert "Discount too deep" in mail.text


def test_the_salesperson_is_told_when_the_customer_accepts_online(
    draft, salesperson, manager, mailbox, django_capture_on_commit_callbacks
):
    quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
    quote_services.approve_quote(quote_id=draft.pk, by=manager)
    quote = quote_services.send_quote(quote_id=draft.pk, by=salesperson)
    assert public_links.token_for(quote)
    with django_capture_on_commit_callbacks(execute=True):
        customer_answers.customer_accepts(
            quote_id=quote.pk, public_key=quote.public_key, name="Wang Fang"
        )
    [mail] = to(mailbox, salesperson)
    assert "accepted quote" in mail.subject and "Wang Fang" in mail.text


def test_an_order_waiting_for_approval_and_its_decision_are_told(
    draft, salesperson, manager, mailbox, django_capture_on_commit_callbacks
):
    quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
    quote_services.approve_quote(quote_id=draft.pk, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_services.create_order(
            quote_id=draft.pk, by=salesperson, status="pending_approval"
        )
    [waiting] = to(mailbox, manager)
    assert waiting.subject == f"Order {order.number} is waiting for your approval"
    assert "(total CNY 1,000.00)" in waiting.text
    with django_capture_on_commit_callbacks(execute=True):
        order_services.approve_order(order_id=order.pk, by=manager)
    approved = [m for m in to(mailbox, salesperson) if m.subject.startswith("Order")]
    assert [m.subject for m in approved] == [f"Order {order.number} was approved"]


def test_a_rolled_back_change_sends_nothing(draft, salesperson, manager, mailbox):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
        raise Undo
    assert not Notification.objects.exists() and not mailbox.received


def test_a_user_who_turned_the_emails_off_gets_none(
    draft, salesperson, manager, mailbox, django_capture_on_commit_callbacks
):
    set_preference(user=manager, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
    assert not to(mailbox, manager)
    assert not Notification.objects.filter(recipient=manager).exists()


def test_each_email_is_written_in_its_recipients_language(salesperson, manager, settings):
    settings.LANGUAGE_CODE = "en"
    set_preference(user=manager, email_enabled=True, language="zh-hans")
    seen = {}

    def write(user):
        seen[user.pk] = translation.get_language()
        return "subject", "body"

    notify(users=[manager, salesperson], kind="test", write=write)
    # The preference's language; without one, the site's.
    assert seen == {manager.pk: "zh-hans", salesperson.pk: "en"}


def test_a_user_turns_the_emails_off_on_the_profile_page(sales_client, salesperson):
    url = reverse("notifications:preferences")
    page = sales_client.get(url)
    assert page.status_code == 200 and salesperson.email in page.content.decode()
    response = sales_client.post(url, {"language": "en"})  # box unticked
    assert response.status_code == 302
    assert salesperson.notification_preference.email_enabled is False


def test_the_profile_page_needs_a_login(client):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_manager_sees_notifications_in_admin(
    draft, salesperson, manager, manager_client, django_capture_on_commit_callbacks
):
    quote_services.submit_quote(quote_id=draft.pk, by=salesperson)
    response = manager_client.get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 200
    assert "quote.waiting_for_approval" in response.content.decode()
