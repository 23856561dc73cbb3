"""Demo deals and communications for the demo customers that have none yet."""

import random
from datetime import timedelta

from django.utils import timezone

from communications.models import Communication
from opportunities.models import Opportunity
from opportunities.stages import OPEN_STAGES, STAGE_PROBABILITY, Stage

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


def demo_opportunities(customers) -> None:
    """One or two deals for most demo customers that have none yet, spread over the stages
    and the coming months, so the board and the forecast have something to show."""
    today = timezone.localdate()
    with_deals = set(Opportunity.objects.values_list("customer_id", flat=True).distinct())
    deals = []
    for customer in customers:
        if customer.pk in with_deals:
            continue
        rng = random.Random(f"deals:{customer.name}")  # the same deals in every database
        for _ in range(rng.choice([0, 1, 1, 2])):
            stage = rng.choices([*OPEN_STAGES, Stage.WON, Stage.LOST], weights=[4, 4, 3, 2, 2, 1])[
                0
            ]
            lost = stage == Stage.LOST
            deals.append(
                Opportunity(
                    customer=customer,
                    customer_owner_id=customer.owner_id,  # bulk_create skips save()
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


def demo_communications(customers) -> None:
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
                    customer_owner_id=customer.owner_id,  # bulk_create skips save()
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
