"""Choices read from their values, labels (English and Chinese) and aliases; owners from users."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from communications.models import Communication
from customers.models import Customer
from imports import aliases
from imports.values import ChoiceReader, OwnerLookup, parse_owner
from opportunities.models import Opportunity
from tests.factories import UserFactory


def reader(model, name):
    return ChoiceReader.for_field(model, name, aliases=aliases.CHOICES.get((model, name), ()))


STATUS = reader(Customer, "status")


@pytest.mark.parametrize(
    "raw",
    [
        "active",
        "Active",
        "ACTIVE",
        " active ",
        "ａｃｔｉｖｅ",
        "成交客户",
        "活跃",
        "Active customer",
    ],
)
def test_a_choice_is_read_from_its_value_label_chinese_label_or_alias(raw):
    assert STATUS.parse(raw) == "active"


@pytest.mark.parametrize(
    ("model", "name", "raw", "value"),
    [
        (Customer, "kind", "企业", "company"),
        (Customer, "kind", "个人", "individual"),
        (Customer, "source", "Cold call", "cold_call"),
        (Customer, "source", "cold-call", "cold_call"),
        (Customer, "source", "陌生电话", "cold_call"),
        (Customer, "source", "转介绍", "referral"),
        (Customer, "industry", "制造业", "manufacturing"),
        (Customer, "industry", "Retail and wholesale", "retail"),
        (Customer, "industry", "IT", "technology"),
        (Customer, "rating", "A", "A"),
        (Customer, "rating", "a", "A"),
        (Customer, "rating", "A · key account", "A"),
        (Customer, "rating", "A · 重点客户", "A"),
        (Customer, "rating", "重点客户", "A"),
        (Opportunity, "stage", "Negotiation", "negotiation"),
        (Opportunity, "stage", "商务谈判", "negotiation"),
        (Opportunity, "stage", "赢单", "won"),
        (Opportunity, "stage", "Closed Won", "won"),
        (Communication, "channel", "E-mail", "email"),
        (Communication, "channel", "微信", "message"),
        (Communication, "channel", "拜访", "visit"),
        (Communication, "direction", "呼入", "inbound"),
        (Communication, "direction", "Outbound", "outbound"),
    ],
)
def test_choices_of_every_imported_field(model, name, raw, value):
    assert reader(model, name).parse(raw) == value


def test_an_unknown_choice_lists_the_choices_in_the_users_language():
    with pytest.raises(ValidationError) as caught:
        STATUS.parse("great")
    assert caught.value.messages == ["“great” is not one of: Lead, Prospect, Active, Inactive."]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        STATUS.parse("great")
    assert "线索, 潜在客户, 成交客户, 非活跃客户" in caught.value.messages[0]


def test_a_word_meaning_two_choices_is_taken_for_neither():
    choices = [("a", "Alpha"), ("b", "Beta")]
    ambiguous = ChoiceReader(choices, aliases=[("first", "a"), ("first", "b")])
    assert ambiguous.parse("alpha") == "a"
    with pytest.raises(ValidationError):
        ambiguous.parse("first")


@pytest.fixture
def owners(db):
    UserFactory(username="alice", first_name="Alice", last_name="Wang", email="alice@example.com")
    UserFactory(username="wei", first_name="伟", last_name="王", email="wei@example.com")
    UserFactory(username="li1", first_name="Na", last_name="Li", email="li1@example.com")
    UserFactory(username="li2", first_name="Na", last_name="Li", email="shared@example.com")
    UserFactory(username="li3", first_name="Jun", last_name="Li", email="shared@example.com")
    UserFactory(username="gone", first_name="Old", last_name="Timer", is_active=False)


@pytest.mark.parametrize(
    "raw",
    ["alice", "ALICE", "alice@example.com", "Alice@Example.com", "Alice Wang", "Wang Alice"],
)
def test_an_owner_is_found_by_username_email_or_full_name(owners, raw):
    assert parse_owner(raw, OwnerLookup.load()).username == "alice"


@pytest.mark.parametrize("raw", ["王伟", "伟 王", "wei"])
def test_a_chinese_name_is_found_family_name_first(owners, raw):
    assert parse_owner(raw, OwnerLookup.load()).username == "wei"


@pytest.mark.parametrize("raw", ["Na Li", "shared@example.com"])
def test_a_name_or_email_two_users_share_is_refused(owners, raw):
    with pytest.raises(ValidationError, match="More than one active user is called"):
        parse_owner(raw, OwnerLookup.load())


@pytest.mark.parametrize("raw", ["gone", "Old Timer", "nobody"])
def test_inactive_or_unknown_users_are_not_owners(owners, raw):
    with pytest.raises(ValidationError, match="is not an active user"):
        parse_owner(raw, OwnerLookup.load())


def test_the_owner_lookup_is_one_query_for_any_number_of_rows(owners, django_assert_num_queries):
    with django_assert_num_queries(1):
        lookup = OwnerLookup.load()
    with django_assert_num_queries(0):
        for raw in ["alice", "wei", "Alice Wang"] * 100:
            parse_owner(raw, lookup)
