"""'My follow-ups': grouping, marking done with and without htmx, and the navigation badge."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communications.context_processors import follow_up_count
from communications.follow_ups import follow_ups_for
from tests.factories import CommunicationFactory, CustomerFactory, SalespersonFactory


def days(n):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def agenda(customer, salesperson, foreign_customer):
    """Follow-ups of every kind on ``salesperson``'s list, and some that are not on it."""
    return {
        "overdue_old": CommunicationFactory(customer=customer, follow_up_on=days(-10)),
        "overdue": CommunicationFactory(customer=customer, follow_up_on=days(-1)),
        "today": CommunicationFactory(customer=customer, follow_up_on=days(0)),
        "soon": CommunicationFactory(customer=customer, follow_up_on=days(1)),
        "edge": CommunicationFactory(customer=customer, follow_up_on=days(30)),
        "later": CommunicationFactory(customer=customer, follow_up_on=days(31)),
        "much_later": CommunicationFactory(customer=customer, follow_up_on=days(200)),
        # not on the list: done, without a date, another salesperson's customer
        "done": CommunicationFactory(customer=customer, follow_up_on=days(-2), follow_up_done=True),
        "no_date": CommunicationFactory(customer=customer),
        "foreign": CommunicationFactory(customer=foreign_customer, follow_up_on=days(-1)),
    }


def pks(rows):
    return [row.pk for row in rows]


def test_follow_ups_are_grouped_overdue_today_upcoming(salesperson, agenda):
    follow_ups = follow_ups_for(salesperson)
    assert pks(follow_ups.overdue) == [agenda["overdue_old"].pk, agenda["overdue"].pk]
    assert pks(follow_ups.due_today) == [agenda["today"].pk]
    assert pks(follow_ups.upcoming) == [agenda["soon"].pk, agenda["edge"].pk]
    assert follow_ups.later_count == 2


def test_follow_ups_page_shows_the_groups(sales_client, agenda):
    response = sales_client.get(reverse("communications:follow_ups"))
    text = response.text
    for key in ("overdue_old", "overdue", "today", "soon", "edge"):
        assert agenda[key].subject in text, key
    for key in ("later", "done", "no_date", "foreign"):
        assert agenda[key].subject not in text, key
    assert text.index(agenda["overdue"].subject) < text.index(agenda["today"].subject)
    assert text.index(agenda["today"].subject) < text.index(agenda["soon"].subject)
    assert 'id="later-count"' in text and "and 2 later follow-ups" in text


def test_follow_ups_include_the_ones_the_user_wrote_for_a_manager(manager, foreign_customer):
    written = CommunicationFactory(customer=foreign_customer, author=manager, follow_up_on=days(0))
    others = CommunicationFactory(customer=foreign_customer, follow_up_on=days(0))
    follow_ups = follow_ups_for(manager)
    assert pks(follow_ups.due_today) == [written.pk]
    assert others.pk not in pks(follow_ups.due_today)


def test_follow_ups_written_on_a_customer_now_owned_by_someone_else_are_hidden(
    salesperson, teammate
):
    moved = CustomerFactory(owner=teammate)
    CommunicationFactory(customer=moved, author=salesperson, follow_up_on=days(0))
    assert follow_ups_for(salesperson).is_empty


def test_empty_follow_ups_page_says_so(sales_client, salesperson):
    response = sales_client.get(reverse("communications:follow_ups"))
    assert response.context["follow_ups"].is_empty
    assert "Nothing to follow up" in response.text


@pytest.mark.parametrize("rows", [5, 50])
def test_follow_ups_page_query_count_does_not_grow(
    sales_client, salesperson, django_assert_num_queries, rows
):
    for i in range(rows):
        CommunicationFactory(
            customer=CustomerFactory(owner=salesperson), follow_up_on=days(i % 40 - 5)
        )
    url = reverse("communications:follow_ups")
    sales_client.get(url)
    # session, user, role, the listed follow-ups, the later count, the navigation count
    with django_assert_num_queries(6):
        response = sales_client.get(url)
    follow_ups = response.context["follow_ups"]
    assert len(follow_ups.overdue) + len(follow_ups.due_today) + len(follow_ups.upcoming) > 0


def test_done_without_javascript_redirects_back_with_a_message(sales_client, agenda):
    communication = agenda["today"]
    response = sales_client.post(
        reverse("communications:follow_up_done", args=[communication.pk]),
        {"next": reverse("communications:follow_ups")},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("communications:follow_ups")
    assert "marked done" in response.text
    communication.refresh_from_db()
    assert communication.follow_up_done
    assert communication.subject not in response.context["follow_ups"].due_today


def test_done_ignores_a_foreign_next(sales_client, agenda):
    response = sales_client.post(
        reverse("communications:follow_up_done", args=[agenda["today"].pk]),
        {"next": "//evil.example.com/"},
    )
    assert response["Location"] == reverse("communications:follow_ups")


def test_done_with_htmx_answers_the_done_row_and_the_new_count(sales_client, agenda):
    communication = agenda["today"]
    response = sales_client.post(
        reverse("communications:follow_up_done", args=[communication.pk]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    text = response.text
    assert f'id="follow-up-{communication.pk}"' in text
    assert "Done:" in text and communication.subject in text
    assert "<html" not in text
    # Overdue and today were 3; one is done now.
    assert 'id="follow-up-count" hx-swap-oob="true"' in text
    assert ">2</span>" in text
    communication.refresh_from_db()
    assert communication.follow_up_done


def test_undo_with_htmx_reopens_and_shows_the_row_again(sales_client, customer):
    communication = CommunicationFactory(
        customer=customer, follow_up_on=days(0), follow_up_done=True
    )
    response = sales_client.post(
        reverse("communications:follow_up_done", args=[communication.pk]),
        {"done": "0"},
        headers={"HX-Request": "true"},
    )
    communication.refresh_from_db()
    assert not communication.follow_up_done
    url = reverse("communications:follow_up_done", args=[communication.pk])
    assert f'hx-post="{url}"' in response.text
    assert "Done:" not in response.text
    assert communication.customer.name in response.text


def test_done_on_a_communication_without_follow_up_is_a_message(sales_client, communication):
    response = sales_client.post(
        reverse("communications:follow_up_done", args=[communication.pk]), follow=True
    )
    assert "This communication has no follow-up." in response.text


def test_done_buttons_post_with_csrf_and_htmx(sales_client, agenda):
    text = sales_client.get(reverse("communications:follow_ups")).text
    url = reverse("communications:follow_up_done", args=[agenda["today"].pk])
    assert f'action="{url}"' in text
    assert f'hx-post="{url}"' in text
    assert "csrfmiddlewaretoken" in text


def test_navigation_badge_counts_overdue_and_today(sales_client, agenda):
    response = sales_client.get(reverse("communications:list"))
    assert response.context["follow_up_count"] == 3
    assert 'id="follow-up-count"' in response.text
    assert ">3</span>" in response.text
    assert reverse("communications:follow_ups") in response.text


def test_navigation_badge_stops_counting_at_99(sales_client, customer):
    CommunicationFactory.create_batch(100, customer=customer, follow_up_on=days(-1))

    response = sales_client.get(reverse("dashboard"))

    assert response.context["follow_up_count"] == 100
    assert ">99+</span>" in response.text


def test_navigation_badge_is_empty_without_due_follow_ups(sales_client, customer):
    CommunicationFactory(customer=customer, follow_up_on=days(3))
    response = sales_client.get(reverse("dashboard"))
    assert response.context["follow_up_count"] == 0
    assert 'title="Due today or overdue"></span>' in response.text


def test_navigation_count_is_lazy_and_one_query(rf, salesperson, agenda, django_assert_num_queries):
    request = rf.get("/")
    request.user = salesperson
    salesperson._crm_is_manager = False  # the role is known from earlier in the request
    with django_assert_num_queries(0):
        context = follow_up_count(request)
    with django_assert_num_queries(1):
        assert context["follow_up_count"] == 3
        assert str(context["follow_up_count"]) == "3"
        assert context["follow_up_count"]


def test_navigation_count_for_anonymous_is_zero_without_queries(rf, db, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert follow_up_count(request)["follow_up_count"] == 0


def test_other_salespeople_do_not_see_my_follow_ups(client, agenda):
    other = SalespersonFactory()
    client.force_login(other)
    response = client.get(reverse("communications:follow_ups"))
    assert response.context["follow_ups"].is_empty
    assert response.context["follow_up_count"] == 0
