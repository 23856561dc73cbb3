"""Demo users and customers with their contacts: realistic, deterministic names (Chinese and
English) from a fixed seed, so the same size always yields the same customers."""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from crm.roles import SALES, SALES_MANAGERS
from customers.models import Contact, Customer

DEMO_PASSWORD = "demo-pass-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str


DEMO_USERS = [
    DemoUser("manager", "Mei", "Chen", SALES_MANAGERS),
    DemoUser("alice", "Alice", "Wang", SALES),
    DemoUser("bob", "Bob", "Li", SALES),
    DemoUser("zhang", "张伟", "", SALES),
]

TAGS = ["VIP", "重点客户", "Government", "Overseas", "渠道伙伴", "Renewal due"]

_CN_CITIES = ["上海", "北京", "深圳", "杭州", "广州", "成都", "苏州", "南京", "武汉", "西安"]
_CN_WORDS = [
    "华腾",
    "恒信",
    "新锐",
    "瑞丰",
    "博远",
    "金石",
    "天成",
    "宏达",
    "卓越",
    "东方",
    "星海",
    "安泰",
]
_CN_TRADES = ["科技", "贸易", "制造", "物流", "医疗器械", "教育咨询", "新能源", "建设工程"]
_EN_WORDS = [
    "Northwind",
    "Bluepeak",
    "Harbor",
    "Silverline",
    "Evergreen",
    "Brightwater",
    "Oakridge",
    "Redstone",
    "Summit",
    "Lakeside",
    "Ironbridge",
    "Clearview",
]
_EN_TRADES = [
    "Trading",
    "Logistics",
    "Software",
    "Foods",
    "Medical",
    "Energy",
    "Retail",
    "Engineering",
]
_EN_SUFFIXES = ["Ltd", "Inc.", "Group", "GmbH", "LLC"]
_CN_SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
_CN_GIVEN = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "婷", "强"]
_EN_FIRST = [
    "Emily",
    "James",
    "Olivia",
    "Daniel",
    "Sophie",
    "Michael",
    "Grace",
    "Thomas",
    "Hannah",
    "Lucas",
]
_EN_LAST = [
    "Carter",
    "Smith",
    "Brown",
    "Wilson",
    "Taylor",
    "Clarke",
    "Hughes",
    "Walker",
    "Evans",
    "Turner",
]
_TITLES = [
    "采购经理",
    "总经理",
    "IT Director",
    "Purchasing Manager",
    "CFO",
    "运营总监",
    "Office Manager",
]
_NEEDS = [
    "Replace the ageing ERP integration before the next fiscal year.",
    "需要年度维保服务，预算在第三季度确定。",
    "Looking for a supplier with delivery to three regional warehouses.",
    "希望试用后再决定采购数量。",
    "Wants volume pricing for 500+ seats.",
    "",
]


def ensure_demo_users() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for spec in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@example.com",
                "is_staff": spec.role == SALES_MANAGERS,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=spec.role))
        users[spec.username] = user
    return users


def _company_name(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        name = f"{rng.choice(_CN_CITIES)}{rng.choice(_CN_WORDS)}{rng.choice(_CN_TRADES)}有限公司"
        return (
            name,
            f"contact{rng.randrange(10**6)}@{rng.choice(['163.com', 'qq.com', 'example.cn'])}",
        )
    word, trade = rng.choice(_EN_WORDS), rng.choice(_EN_TRADES)
    return (
        f"{word} {trade} {rng.choice(_EN_SUFFIXES)}",
        f"info@{word.lower()}-{trade.lower()}.example.com",
    )


#: The local part of a demo contact's e-mail address, by the contact's place on its customer.
_MAILBOXES = ("purchasing", "finance", "operations")


def _person_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(_CN_SURNAMES) + rng.choice(_CN_GIVEN) + rng.choice(["", *_CN_GIVEN])
    return f"{rng.choice(_EN_FIRST)} {rng.choice(_EN_LAST)}"


def _phone(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"+86 1{rng.choice('3589')}{rng.randrange(10)} {rng.randrange(10**4):04d} {rng.randrange(10**4):04d}"
    return f"+44 20 {rng.randrange(10**4):04d} {rng.randrange(10**4):04d}"


def demo_customers(size: int, owners: list) -> list[tuple[Customer, list[Contact]]]:
    """The first ``size`` demo customers, always the same for the same owners."""
    rng = random.Random(20261125)
    seen, result = set(), []
    while len(result) < size:
        individual = rng.random() < 0.2
        if individual:
            name = _person_name(rng)
            email = f"{rng.choice(_EN_FIRST).lower()}.{rng.randrange(10**5)}@example.com"
        else:
            name, email = _company_name(rng)
        phone = _phone(rng)
        if name in seen:
            continue
        seen.add(name)
        customer = Customer(
            name=name,
            kind=Customer.Kind.INDIVIDUAL if individual else Customer.Kind.COMPANY,
            industry=rng.choice(Customer.Industry.values),
            source=rng.choice(Customer.Source.values),
            status=rng.choices(Customer.Status.values, weights=[4, 3, 5, 1])[0],
            rating=rng.choice(["A", "B", "B", "C", "C", "D", ""]),
            owner=owners[len(result) % len(owners)],
            phone=phone,
            email=email,
            website=""
            if individual
            else f"https://www.{name.split()[0].lower()}.example.com"
            if name.isascii()
            else "",
            address=rng.choice(
                [
                    "上海市浦东新区世纪大道100号",
                    "北京市朝阳区建国路88号",
                    "1 King Street, London",
                    "",
                ]
            ),
            needs=rng.choice(_NEEDS),
        )
        customer.set_keys()  # bulk_create does not call save()
        contacts = (
            []
            if individual
            else [
                Contact(
                    name=_person_name(rng),
                    title=rng.choice(_TITLES),
                    phone=_phone(rng),
                    # At the company's domain, so that a quote can be e-mailed in the demo
                    # (no draw from rng: the rest of the demo stays as it was).
                    email=f"{_MAILBOXES[i]}@{email.split('@')[1]}",
                    is_primary=i == 0,
                )
                for i in range(rng.randint(1, 3))
            ]
        )
        result.append((customer, contacts))
    return result
