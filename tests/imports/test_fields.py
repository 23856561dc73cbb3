"""Importable fields per kind: the mapping guessed from headers, what is required, and rows
converted into values with every error of the row."""

import io
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from imports.fields import (
    KINDS,
    Lookups,
    convert_row,
    field_choices,
    fields_of,
    guess_mapping,
    mapping_errors,
    required_missing,
)
from imports.reading import read_table
from imports.values import OwnerLookup
from tests.factories import SalespersonFactory
from tests.imports.files import excel_style_xlsx

ALICE = SimpleNamespace(
    pk=1, username="alice", email="alice@example.com", first_name="Alice", last_name="Wang"
)
LOOKUPS = Lookups(owners=OwnerLookup([ALICE]))


def test_our_own_customer_export_maps_back_onto_customer_fields():
    headers = [
        "ID", "Name", "Kind", "Status", "Industry", "Source channel", "Rating", "Owner",
        "Phone", "E-mail", "Website", "Address", "Needs", "Created", "Updated", "Archived",
    ]  # fmt: skip
    assert guess_mapping("customers", headers) == {
        "ID": "external_id",
        "Name": "name",
        "Kind": "kind",
        "Status": "status",
        "Industry": "industry",
        "Source channel": "source",
        "Rating": "rating",
        "Owner": "owner",
        "Phone": "phone",
        "E-mail": "email",
        "Website": "website",
        "Address": "address",
        "Needs": "needs",
        "Created": None,
        "Updated": None,
        "Archived": None,
    }


def test_chinese_customer_headers():
    headers = [
        "序号", "客户名称", "电话", "邮箱", "负责人", "行业", "来源", "状态", "客户等级", "地址",
        "联系人", "职位", "联系人手机", "联系人邮箱", "备注", "标签", "网址", "需求",
    ]  # fmt: skip
    assert guess_mapping("customers", headers) == {
        "序号": None,
        "客户名称": "name",
        "电话": "phone",
        "邮箱": "email",
        "负责人": "owner",
        "行业": "industry",
        "来源": "source",
        "状态": "status",
        "客户等级": "rating",
        "地址": "address",
        "联系人": "contact_name",
        "职位": "contact_title",
        "联系人手机": "contact_phone",
        "联系人邮箱": "contact_email",
        "备注": "notes",
        "标签": "tags",
        "网址": "website",
        "需求": "needs",
    }


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("公司名称", "name"),
        ("名称", "name"),
        ("Company Name", "name"),
        ("手机", "phone"),
        ("联系电话", "phone"),
        ("Mobile", "phone"),
        ("电子邮件", "email"),
        ("E-mail", "email"),
        ("ＥＭＡＩＬ", "email"),
        ("e_mail", "email"),
        (" Email Address ", "email"),
        ("Customer e-mail", "email"),
        ("销售", "owner"),
        ("所有者", "owner"),
        ("Sales Rep", "owner"),
        ("联系人姓名", "contact_name"),
        ("客户名称*", "name"),
        ("客户名称（必填）", "name"),
        ("所在行业", "industry"),
        ("客户详细地址", "address"),
        ("Primary contact phone", "contact_phone"),
        ("Billing address", "address"),
        ("Remarks", "notes"),
        ("Created", None),
        ("Hotel", None),
    ],
)
def test_a_single_customer_header_is_guessed(header, field):
    assert guess_mapping("customers", [header]) == {header: field}


def test_each_field_goes_to_its_first_column_only():
    assert guess_mapping("customers", ["电话", "手机", "Phone"]) == {
        "电话": "phone",
        "手机": None,
        "Phone": None,
    }


def test_an_exact_header_wins_over_a_partial_one_to_its_left():
    assert guess_mapping("customers", ["公司电话号码", "电话"]) == {
        "公司电话号码": None,
        "电话": "phone",
    }


def test_chinese_opportunity_headers():
    headers = [
        "客户名称", "商机名称", "金额（元）", "阶段", "赢率", "预计成交日期", "负责人",
        "下一步", "描述", "客户编号",
    ]  # fmt: skip
    assert guess_mapping("opportunities", headers) == {
        "客户名称": "customer_name",
        "商机名称": "name",
        "金额（元）": "amount",
        "阶段": "stage",
        "赢率": "probability",
        "预计成交日期": "expected_close_date",
        "负责人": "owner",
        "下一步": "next_step",
        "描述": "description",
        "客户编号": "customer_external_id",
    }


def test_english_opportunity_headers():
    headers = ["Account Name", "Opportunity Name", "Amount", "Stage", "Close Date", "Owner"]
    assert guess_mapping("opportunities", headers) == {
        "Account Name": "customer_name",
        "Opportunity Name": "name",
        "Amount": "amount",
        "Stage": "stage",
        "Close Date": "expected_close_date",
        "Owner": "owner",
    }


def test_chinese_communication_headers():
    headers = ["客户", "商机", "沟通方式", "方向", "主题", "内容", "日期", "下次跟进日期", "邮箱"]
    assert guess_mapping("communications", headers) == {
        "客户": "customer_name",
        "商机": "opportunity",
        "沟通方式": "channel",
        "方向": "direction",
        "主题": "subject",
        "内容": "content",
        "日期": "occurred_at",
        "下次跟进日期": "follow_up_on",
        "邮箱": "customer_email",
    }


def test_headers_in_the_labels_chinese_translation_are_recognised():
    with translation.override("zh-hans"):
        labels = {name: str(label) for name, label in field_choices("opportunities")}
    assert guess_mapping("opportunities", [labels["expected_close_date"]]) == {
        labels["expected_close_date"]: "expected_close_date"
    }


def test_field_labels_follow_the_language():
    assert dict(field_choices("customers"))["email"] == "E-mail"
    with translation.override("zh-hans"):
        assert str(dict(field_choices("customers"))["email"]) == "邮箱"
        assert str(KINDS["communications"]) == "沟通记录"


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown import kind 'orders'"):
        fields_of("orders")


# Required fields


def names(requirements):
    return [requirement.fields for requirement in requirements]


def test_customers_need_a_name_column():
    assert names(required_missing("customers", {"电话": "phone"})) == [("name",)]
    assert required_missing("customers", {"客户名称": "name", "备注": None}) == []


def test_contact_details_need_the_contact_name_column():
    mapping = {"客户名称": "name", "联系人手机": "contact_phone"}
    assert names(required_missing("customers", mapping)) == [("contact_name",)]


def test_deals_and_communications_need_a_way_to_their_customer():
    customer = ("customer_name", "customer_email", "customer_external_id")
    assert names(required_missing("opportunities", {"Amount": "amount"})) == [customer]
    assert required_missing("opportunities", {"客户编号": "customer_external_id"}) == []
    assert names(required_missing("communications", {"客户": "customer_name"})) == [
        ("subject", "content")
    ]


def test_mapping_errors_name_each_problem():
    mapping = {"A": "phone", "B": "phone", "C": "colour", "D": None}
    assert mapping_errors("customers", mapping) == [
        "Phone is chosen for more than one column.",
        "Column “C”: there is no field “colour” to fill.",
        "Choose a column for: Name.",
    ]
    assert mapping_errors("customers", {"Name": "name"}) == []


# Rows


def test_a_customer_row_becomes_values():
    mapping = {
        "客户名称": "name", "类型": "kind", "行业": "industry", "来源": "source", "状态": "status",
        "等级": "rating", "电话": "phone", "邮箱": "email", "网址": "website", "负责人": "owner",
        "标签": "tags", "联系人": "contact_name", "职位": "contact_title", "备注": "notes",
        "忽略": None,
    }  # fmt: skip
    raw = {
        "客户名称": " 北京星辰科技有限公司 ", "类型": "企业", "行业": "信息技术", "来源": "转介绍",
        "状态": "活跃", "等级": "A", "电话": 13800138000, "邮箱": "INFO@xingchen.cn",
        "网址": "www.xingchen.cn", "负责人": "Alice Wang", "标签": "VIP、政府", "联系人": "王伟",
        "职位": "采购经理", "备注": "", "忽略": "whatever",
    }  # fmt: skip
    values, errors = convert_row("customers", mapping, raw, lookups=LOOKUPS)
    assert errors == []
    assert values == {
        "name": "北京星辰科技有限公司",
        "kind": "company",
        "industry": "technology",
        "source": "referral",
        "status": "active",
        "rating": "A",
        "phone": "13800138000",
        "email": "INFO@xingchen.cn",
        "website": "https://www.xingchen.cn",
        "owner": ALICE,
        "tags": ["VIP", "政府"],
        "contact_name": "王伟",
        "contact_title": "采购经理",
    }


def test_every_error_of_a_row_is_reported_with_its_column():
    mapping = {
        "Name": "name",
        "E-mail": "email",
        "Phone": "phone",
        "Status": "status",
        "Owner": "owner",
    }
    raw = {"Name": "ACME", "E-mail": "acme@", "Phone": "n/a", "Status": "great", "Owner": "bob"}
    values, errors = convert_row("customers", mapping, raw, lookups=LOOKUPS)
    assert values == {"name": "ACME"}
    assert errors == [
        "Column “E-mail”: “acme@” is not a valid e-mail address.",
        "Column “Phone”: “n/a” is not a phone number.",
        "Column “Status”: “great” is not one of: Lead, Prospect, Active, Inactive.",
        "Column “Owner”: “bob” is not an active user (give a username, full name or e-mail).",
    ]


def test_a_required_cell_left_empty_is_an_error_of_its_column():
    values, errors = convert_row(
        "customers",
        {"客户名称": "name", "电话": "phone"},
        {"客户名称": " ", "电话": "123"},
        lookups=LOOKUPS,
    )
    assert values == {"phone": "123"}
    assert errors == ["Column “客户名称”: a value is needed."]


def test_a_required_cell_that_failed_is_reported_once():
    long_name = "x" * 201
    _values, errors = convert_row("customers", {"N": "name"}, {"N": long_name}, lookups=LOOKUPS)
    assert errors == ["Column “N”: The text is 201 characters long; at most 200 fit."]


def test_a_communication_needs_its_customer_and_a_subject_or_content_on_each_row():
    mapping = {
        "客户": "customer_name",
        "邮箱": "customer_email",
        "主题": "subject",
        "内容": "content",
    }
    raw = {"客户": "", "邮箱": None, "主题": "", "内容": ""}
    _values, errors = convert_row("communications", mapping, raw, lookups=LOOKUPS)
    assert errors == [
        "Customer (its name, e-mail or external id): one of the columns “客户”, “邮箱” needs a value.",
        "Subject or content: one of the columns “主题”, “内容” needs a value.",
    ]


def test_contact_details_without_the_contacts_name_are_an_error():
    mapping = {"Name": "name", "Contact": "contact_name", "Contact phone": "contact_phone"}
    raw = {"Name": "ACME", "Contact": "", "Contact phone": "138 0013 8000"}
    _values, errors = convert_row("customers", mapping, raw, lookups=LOOKUPS)
    assert errors == [
        "Column “Contact”: the contact's name is needed with their title, e-mail or phone."
    ]
    mapping.pop("Contact")
    _values, errors = convert_row("customers", mapping, raw, lookups=LOOKUPS)
    assert errors == ["The contact's name is needed with their title, e-mail or phone."]


def test_an_opportunity_row_with_chinese_values():
    mapping = {
        "客户名称": "customer_name", "商机": "name", "金额": "amount", "阶段": "stage",
        "赢率": "probability", "预计成交日期": "expected_close_date", "负责人": "owner",
    }  # fmt: skip
    raw = {
        "客户名称": "北京星辰科技", "商机": "年度框架协议", "金额": "¥1,234,567.50",
        "阶段": "商务谈判", "赢率": "80%", "预计成交日期": 46082, "负责人": "alice@example.com",
    }  # fmt: skip
    values, errors = convert_row("opportunities", mapping, raw, lookups=LOOKUPS)
    assert errors == []
    assert values == {
        "customer_name": "北京星辰科技",
        "name": "年度框架协议",
        "amount": Decimal("1234567.50"),
        "stage": "negotiation",
        "probability": 80,
        "expected_close_date": date(2026, 3, 1),
        "owner": ALICE,
    }


def test_a_communication_row_reads_moments_in_the_current_time_zone():
    mapping = {
        "客户编号": "customer_external_id",
        "方式": "channel",
        "日期": "occurred_at",
        "内容": "content",
        "下次跟进": "follow_up_on",
    }
    raw = {
        "客户编号": 10023,
        "方式": "微信",
        "日期": datetime(2026, 3, 1, 9, 30),
        "内容": "报价已发",
        "下次跟进": "2026/3/8",
    }
    values, errors = convert_row("communications", mapping, raw, lookups=LOOKUPS)
    assert errors == []
    assert values == {
        "customer_external_id": "10023",
        "channel": "message",
        "occurred_at": timezone.make_aware(datetime(2026, 3, 1, 9, 30)),
        "content": "报价已发",
        "follow_up_on": date(2026, 3, 8),
    }


def test_the_files_day_order_applies_to_its_dates():
    mapping = {"Close": "expected_close_date", "Customer": "customer_name"}
    raw = {"Close": "01/03/2026", "Customer": "ACME"}
    day_first = Lookups(owners=LOOKUPS.owners, day_first=True)
    assert convert_row("opportunities", mapping, raw, lookups=day_first)[0][
        "expected_close_date"
    ] == date(2026, 3, 1)
    _values, errors = convert_row("opportunities", mapping, raw, lookups=LOOKUPS)
    assert "could be 2026-03-01 or 2026-01-03" in errors[0]


@pytest.mark.django_db
def test_an_excel_file_with_chinese_headers_goes_from_file_to_values():
    owner = SalespersonFactory(username="wangwei", first_name="伟", last_name="王")
    rows = [
        ["客户名称", "电话", "邮箱", "负责人", "状态", "首次联系"],
        [
            "北京星辰科技有限公司",
            "138 0013 8000",
            "info@xingchen.cn",
            "王伟",
            "活跃",
            date(2024, 3, 1),
        ],
        ["上海蓝海贸易", "021-5555 0101", "not-an-email", "nobody", "意向", 45352],
    ]
    with read_table(io.BytesIO(excel_style_xlsx(rows)), filename="客户.xlsx") as table:
        mapping = guess_mapping("customers", table.headers)
        lookups = Lookups.load()
        converted = [
            (number, *convert_row("customers", mapping, raw, lookups=lookups))
            for number, raw in table.rows()
        ]
    assert mapping["首次联系"] is None
    assert converted == [
        (
            2,
            {
                "name": "北京星辰科技有限公司",
                "phone": "138 0013 8000",
                "email": "info@xingchen.cn",
                "owner": owner,
                "status": "active",
            },
            [],
        ),
        (
            3,
            {"name": "上海蓝海贸易", "phone": "021-5555 0101", "status": "prospect"},
            [
                "Column “邮箱”: “not-an-email” is not a valid e-mail address.",
                "Column “负责人”: “nobody” is not an active user (give a username, full name or e-mail).",
            ],
        ),
    ]


def test_converting_with_a_mapping_to_unknown_fields_is_a_programming_error():
    with pytest.raises(ValueError, match=r"\['colour'\] are not fields of a customers import"):
        convert_row("customers", {"C": "colour"}, {"C": "red"}, lookups=LOOKUPS)
