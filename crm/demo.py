"""Demo data: realistic, deterministic, and safe to load twice.

Customers are generated from a fixed seed, so the same size always yields the same names;
loading again adds only what is missing. Later apps add their records here too.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from communications.models import Communication
from crm.roles import SALES, SALES_MANAGERS
from customers.models import Contact, Customer, Tag
from customers.querysets import normalize_phone
from opportunities.models import Opportunity
from opportunities.services import change_stage
from opportunities.stages import OPEN_STAGES, STAGE_PROBABILITY, Stage
from orders import services as order_services
from orders.models import Order
from quotes import services as quote_services
from quotes.models import Quote

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
            phone_normalized=normalize_phone(phone),
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
        contacts = (
            []
            if individual
            else [
                Contact(
                    name=_person_name(rng),
                    title=rng.choice(_TITLES),
                    phone=_phone(rng),
                    is_primary=i == 0,
                )
                for i in range(rng.randint(1, 3))
            ]
        )
        result.append((customer, contacts))
    return result


@transaction.atomic
def load_demo(size: int = 60) -> dict:
    """Create the demo users and the first ``size`` demo customers that do not exist yet,
    with their deals and communications, and quotes and orders for each salesperson who has
    none yet."""
    users = ensure_demo_users()
    tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
    salespeople = [user for name, user in users.items() if name != "manager"]
    wanted = demo_customers(size, salespeople)
    existing = set(Customer.objects.filter(owner__in=salespeople).values_list("name", flat=True))
    missing = [
        (customer, contacts) for customer, contacts in wanted if customer.name not in existing
    ]
    Customer.objects.bulk_create([customer for customer, _ in missing], batch_size=1000)
    for customer, contacts in missing:
        for contact in contacts:
            contact.customer = customer
    Contact.objects.bulk_create([c for _, contacts in missing for c in contacts], batch_size=1000)
    Through = Customer.tags.through
    Through.objects.bulk_create(
        [
            Through(customer_id=customer.pk, tag_id=tags[customer.pk % len(tags)].pk)
            for customer, _ in missing
            if customer.pk % 3 == 0
        ],
        batch_size=1000,
    )
    _demo_opportunities(Customer.objects.filter(owner__in=salespeople).order_by("pk"))
    _demo_communications(Customer.objects.filter(owner__in=salespeople).order_by("pk"))
    _demo_quotes_and_orders(salespeople, manager=users["manager"])
    return {"users": users, "created": len(missing), "total": len(wanted)}


_DEAL_NAMES = [
    "年度维保合同",
    "ERP integration",
    "Fleet tracking pilot",
    "办公设备采购",
    "Cloud migration",
    "Annual licence renewal",
    "培训服务",
    "Warehouse scanners",
    "数据平台建设",
    "Support upgrade",
]
_LOST_REASONS = ["Price too high", "选择了竞争对手", "Project postponed", "预算取消"]


def _demo_opportunities(customers) -> None:
    """One or two deals for most demo customers that have none yet, spread over the stages
    and the coming months, so the board and the forecast have something to show."""
    today = timezone.localdate()
    with_deals = set(Opportunity.objects.values_list("customer_id", flat=True).distinct())
    deals = []
    for customer in customers:
        if customer.pk in with_deals:
            continue
        rng = random.Random(customer.pk * 7919)
        for _ in range(rng.choice([0, 1, 1, 2])):
            stage = rng.choices([*OPEN_STAGES, Stage.WON, Stage.LOST], weights=[4, 4, 3, 2, 2, 1])[
                0
            ]
            lost = stage == Stage.LOST
            deals.append(
                Opportunity(
                    customer=customer,
                    owner=customer.owner,
                    name=rng.choice(_DEAL_NAMES),
                    amount=rng.randrange(20, 2000) * 500,
                    stage=stage,
                    probability=STAGE_PROBABILITY[stage],
                    expected_close_date=today + timedelta(days=rng.randrange(-30, 240)),
                    next_step=rng.choice(
                        ["Send proposal", "安排演示", "Call the buyer", "等待报价审批", ""]
                    ),
                    lost_reason=rng.choice(_LOST_REASONS) if lost else "",
                    closed_at=timezone.now() if stage in (Stage.WON, Stage.LOST) else None,
                )
            )
    Opportunity.objects.bulk_create(deals, batch_size=1000)


# (channel, direction, subject, content) of the demo communications.
_CONVERSATIONS = [
    ("phone", "outbound", "Intro call", "Introduced our services; they asked for references."),
    ("email", "outbound", "发送产品资料", "已发送产品手册和报价范围，客户将在内部讨论。"),
    (
        "meeting",
        "outbound",
        "Requirements workshop",
        "Went through their current process and pain points.",
    ),
    ("visit", "outbound", "现场拜访", "参观了仓库，确认了部署环境和网络条件。"),
    ("phone", "inbound", "Question about delivery times", "They need delivery within four weeks."),
    ("message", "inbound", "微信咨询价格", "客户询问批量采购折扣。"),
    ("email", "inbound", "Feedback on the proposal", "Asked to split the offer into two phases."),
    (
        "meeting",
        "outbound",
        "Contract negotiation",
        "Agreed on payment terms; legal review pending.",
    ),
    ("other", "outbound", "Trade fair follow-up", "Met their buyer at the fair; exchanged cards."),
]


def _demo_communications(customers) -> None:
    """A few communications for every demo customer that has none yet, written by its owner.

    The latest one of each customer carries a follow-up, rotating per owner through overdue,
    today, upcoming, later and none, so each salesperson's "My follow-ups" has all groups.
    """
    now, today = timezone.now(), timezone.localdate()
    with_communications = set(
        Communication.objects.values_list("customer_id", flat=True).distinct()
    )
    deals: dict[int, list[int]] = {}
    for pk, customer_id in Opportunity.objects.order_by("pk").values_list("pk", "customer_id"):
        deals.setdefault(customer_id, []).append(pk)
    follow_up_offsets = [-3, 0, 5, 45, None, -1, 12]
    per_owner: dict[int, int] = {}
    communications = []
    for customer in customers:
        if customer.pk in with_communications:
            continue
        turn = per_owner.get(customer.owner_id, 0)
        per_owner[customer.owner_id] = turn + 1
        rng = random.Random(f"communications:{customer.name}")
        count = rng.randint(2, 4)
        ages = sorted((rng.randint(1, 120) for _ in range(count)), reverse=True)
        for index, age in enumerate(ages):
            channel, direction, subject, content = rng.choice(_CONVERSATIONS)
            latest = index == count - 1
            offset = follow_up_offsets[turn % len(follow_up_offsets)] if latest else None
            # An older one had a follow-up that was done, as in real life.
            done = not latest and index == 0 and rng.random() < 0.5
            occurred_at = now - timedelta(days=age, hours=rng.randint(0, 8))
            communications.append(
                Communication(
                    customer=customer,
                    opportunity_id=rng.choice(deals[customer.pk])
                    if customer.pk in deals and rng.random() < 0.6
                    else None,
                    author_id=customer.owner_id,
                    channel=channel,
                    direction=direction,
                    subject=subject,
                    content=content,
                    occurred_at=occurred_at,
                    follow_up_on=today + timedelta(days=offset)
                    if offset is not None
                    else (timezone.localdate(occurred_at) + timedelta(days=7) if done else None),
                    follow_up_done=done,
                    follow_up_done_at=occurred_at + timedelta(days=7) if done else None,
                )
            )
    Communication.objects.bulk_create(communications, batch_size=1000)


_REJECTION_REASONS = [
    "Discount above 15% needs a framework agreement.",
    "折扣过高，请按标准价目表重新报价。",
    "Payment terms must be 30 days, not 90.",
]
_SERVICE_LINES = ["Implementation services", "安装调试服务", "Training (days)", "年度技术支持"]


def _quote_lines(opportunity: Opportunity) -> list[dict]:
    """One to three lines that add up to about the deal's amount, some with a discount."""
    rng = random.Random(f"quote:{opportunity.pk}")
    amount = max(opportunity.amount, Decimal("1000"))
    lines = [
        {
            "description": opportunity.name,
            "quantity": Decimal(1),
            "unit_price": (amount * Decimal("0.7")).quantize(Decimal("1")),
            "discount_percent": Decimal(rng.choice([0, 0, 5, 10])),
        }
    ]
    for _ in range(rng.randint(0, 2)):
        days = rng.randint(2, 10)
        lines.append(
            {
                "description": rng.choice(_SERVICE_LINES),
                "quantity": Decimal(days),
                "unit_price": (amount * Decimal("0.3") / days).quantize(Decimal("1")),
                "discount_percent": Decimal(0),
            }
        )
    return lines


def _quote(opportunity, seller, manager, *, until: str) -> Quote:
    """A quote of ``seller`` for the deal, moved along its workflow up to ``until``: draft,
    pending_approval, approved, rejected or sent. An approval rule a manager has set up may
    approve it at submission; then it simply stays approved."""
    if opportunity.stage in (Stage.PROSPECTING, Stage.QUALIFIED):
        change_stage(opportunity_id=opportunity.pk, by=seller, to=Stage.PROPOSAL)
    quote = quote_services.create_quote(
        by=seller,
        opportunity_id=opportunity.pk,
        valid_until=timezone.localdate() + timedelta(days=30),
        lines=_quote_lines(opportunity),
        terms="Payment within 30 days of delivery. 货到30天内付款。",
    )
    if until == Quote.Status.DRAFT:
        return quote
    quote = quote_services.submit_quote(quote_id=quote.pk, by=seller)
    if until == Quote.Status.PENDING_APPROVAL or quote.status != Quote.Status.PENDING_APPROVAL:
        return quote
    if until == Quote.Status.REJECTED:
        reason = _REJECTION_REASONS[opportunity.pk % len(_REJECTION_REASONS)]
        return quote_services.reject_quote(quote_id=quote.pk, by=manager, reason=reason)
    quote = quote_services.approve_quote(quote_id=quote.pk, by=manager)
    if until == Quote.Status.SENT:
        quote = quote_services.send_quote(quote_id=quote.pk, by=seller)
    return quote


def _order(opportunity, seller, manager, *, until: str):
    """An order from an approved quote, submitted by ``seller``, approved by the manager and
    followed up to ``until``: pending_approval, confirmed, fulfilled or completed."""
    quote = _quote(opportunity, seller, manager, until=Quote.Status.APPROVED)
    order = order_services.create_order(
        by=seller, quote_id=quote.pk, status=Order.Status.PENDING_APPROVAL
    )
    if until != Order.Status.PENDING_APPROVAL:
        order = order_services.approve_order(order_id=order.pk, by=manager)
    if until in (Order.Status.FULFILLED, Order.Status.COMPLETED):
        order = order_services.fulfil_order(order_id=order.pk, by=seller)
    if until == Order.Status.COMPLETED:
        order = order_services.complete_order(order_id=order.pk, by=seller)
    return order


#: What each salesperson gets, most telling first (a small demo runs out of deals early).
_SCENARIOS = [
    (_quote, "draft"),
    (_quote, "pending_approval"),
    (_order, "confirmed"),
    (_quote, "rejected"),
    (_order, "pending_approval"),
    (_quote, "approved"),
    (_order, "fulfilled"),
    (_order, "completed"),
    (_quote, "sent"),
]


def _demo_quotes_and_orders(salespeople, *, manager) -> None:
    """Quotes in every approval state and orders up to completion for each salesperson who
    has no quote yet, on their open deals, made through the services like the pages make
    them: numbers, totals, approvals (by the demo manager) and histories are real."""
    sellers = [s for s in salespeople if not Quote.objects.filter(customer__owner=s).exists()]
    deals = {
        seller.pk: list(
            Opportunity.objects.filter(customer__owner=seller, stage__in=OPEN_STAGES).order_by("pk")
        )
        for seller in sellers
    }
    for make, until in _SCENARIOS:
        for seller in sellers:
            if deals[seller.pk]:
                make(deals[seller.pk].pop(0), seller, manager, until=until)
