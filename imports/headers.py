"""Header words of each importable field, in English and Chinese, and how headers meet them.

Headers and the words below are compared once folded (no case, width, spaces or
punctuation: "E-mail", "EMAIL", "ｅｍａｉｌ" are one word). A header that is one of a field's
words (or its label in a language of the site) is the best guess; then the same without a
bracketed note ("金额（元）", "Name*"); then a header that contains a word, ending with it
first (the head noun ends a compound in English and Chinese: "Customer e-mail" is an
e-mail), longest first. Each field goes to one column at most, the best match first, then
left to right.
"""

import re

from imports.text import fold


def _words(text: str) -> tuple[str, ...]:
    """Header words written as "one | two | 三"."""
    return tuple(word.strip() for word in text.split("|"))


_OWNER = _words(
    "owner | sales | salesperson | sales rep | sales representative | account manager | "
    "account owner | assigned to | responsible | 负责人 | 销售 | 所有者 | 销售负责人 | 业务员 | 客户经理 | "
    "销售人员 | 销售代表 | 跟进人 | 归属人 | 归属销售 | 责任人"
)
_CUSTOMER = _words(
    "customer | customer name | client | client name | account | account name | "
    "company | company name | 客户 | 客户名称 | 客户名 | 公司 | 公司名称 | 企业名称 | 单位名称 | 客户全称"
)
_CUSTOMER_EMAIL = _words("customer email | client email | 客户邮箱 | 客户电子邮件 | 公司邮箱")
_CUSTOMER_ID = _words(
    "customer id | customer no | customer number | customer code | client id | "
    "account id | external id | 客户编号 | 客户id | 客户代码 | 客户编码 | 外部编号"
)

WORDS = {
    "customers": {
        "name": (*_CUSTOMER, *_words("name | organization | 名称 | 单位 | 客户姓名")),
        "kind": _words("kind | type | customer type | 类型 | 客户类型 | 客户性质 | 性质"),
        "industry": _words("industry | sector | vertical | 行业 | 所属行业 | 行业类别"),
        "source": _words(
            "source | lead source | customer source | 来源 | 客户来源 | 来源渠道 | 渠道 | 获客渠道 | channel"
        ),
        "status": _words("status | customer status | state | 状态 | 客户状态"),
        "rating": _words(
            "rating | grade | level | tier | class | 等级 | 客户等级 | 级别 | 客户级别 | 评级 | 客户分级"
        ),
        "phone": _words(
            "phone | telephone | tel | mobile | cell | phone number | company phone | "
            "customer phone | 电话 | 手机 | 联系电话 | 手机号 | 手机号码 | 电话号码 | 座机 | 固话 | 公司电话 | 客户电话 | "
            "联系方式"
        ),
        "email": (
            *_CUSTOMER_EMAIL,
            *_words("email | mail | email address | 邮箱 | 电子邮件 | 电子邮箱 | 邮件 | 邮箱地址"),
        ),
        "website": _words("website | web | url | homepage | site | 网站 | 网址 | 官网 | 主页"),
        "address": _words(
            "address | company address | street | 地址 | 公司地址 | 详细地址 | 通讯地址 | 办公地址 | 联系地址"
        ),
        "needs": _words("needs | requirements | requirement | interest | 需求 | 客户需求 | 意向"),
        "notes": _words(
            "notes | note | remarks | remark | comments | comment | memo | description | 备注 | "
            "说明 | 附注 | 描述 | 备注信息"
        ),
        "owner": _OWNER,
        "tags": _words("tags | tag | labels | label | 标签 | 客户标签"),
        "external_id": (*_CUSTOMER_ID, *_words("id | code | 编号 | 代码 | 客户号")),
        "contact_name": _words(
            "contact | contact name | contact person | 联系人 | 联系人姓名 | 联系人名称 | 姓名 | 联系人名字"
        ),
        "contact_title": _words(
            "title | job title | position | role | contact title | 职位 | 职务 | 联系人职位 | 联系人职务 | "
            "岗位 | 头衔"
        ),
        "contact_email": _words(
            "contact email | contact mail | 联系人邮箱 | 联系人电子邮件 | 联系人邮件"
        ),
        "contact_phone": _words(
            "contact phone | contact mobile | contact tel | contact number | 联系人电话 | 联系人手机 | "
            "联系人手机号 | 联系人联系电话"
        ),
    },
    "opportunities": {
        "customer_name": _CUSTOMER,
        "customer_email": (*_CUSTOMER_EMAIL, *_words("email | 邮箱 | 电子邮件")),
        "customer_external_id": _CUSTOMER_ID,
        "name": _words(
            "name | opportunity | opportunity name | deal | deal name | title | 商机 | 商机名称 | "
            "机会 | 机会名称 | 项目 | 项目名称 | 名称 | 销售机会"
        ),
        "amount": _words(
            "amount | value | deal value | deal size | deal amount | 金额 | 商机金额 | 预计金额 | 合同金额 | "
            "预算 | 成交金额 | 预计成交金额"
        ),
        "stage": _words(
            "stage | sales stage | pipeline stage | deal stage | status | 阶段 | 销售阶段 | 商机阶段 | "
            "状态"
        ),
        "probability": _words(
            "probability | win probability | chance | likelihood | 概率 | 赢率 | 成交概率 | 赢单率 | "
            "赢单概率 | 可能性"
        ),
        "expected_close_date": _words(
            "expected close date | close date | closing date | expected close | 预计成交日期 | "
            "预计成交时间 | 成交日期 | 预计签约日期 | 预计结单日期"
        ),
        "owner": _OWNER,
        "next_step": _words(
            "next step | next steps | next action | 下一步 | 下一步计划 | 下步计划"
        ),
        "description": _words(
            "description | notes | details | remarks | 描述 | 备注 | 说明 | 详情"
        ),
    },
    "communications": {
        "customer_name": _CUSTOMER,
        "customer_email": (*_CUSTOMER_EMAIL, *_words("email | 邮箱 | 电子邮件")),
        "customer_external_id": _CUSTOMER_ID,
        "opportunity": _words("opportunity | deal | opportunity name | 商机 | 商机名称 | 项目"),
        "channel": _words(
            "channel | type | method | via | medium | 方式 | 渠道 | 沟通方式 | 联系方式 | 类型 | 跟进方式 | "
            "沟通渠道"
        ),
        "direction": _words("direction | in/out | 方向 | 呼入/呼出"),
        "subject": _words("subject | title | topic | 主题 | 标题 | 事项 | 沟通主题"),
        "content": _words(
            "content | notes | details | body | summary | description | 内容 | 沟通内容 | 记录 | 跟进内容 | "
            "跟进记录 | 详情 | 备注 | 纪要 | 沟通记录"
        ),
        "occurred_at": _words(
            "when | date | time | date and time | datetime | occurred at | 日期 | 时间 | 沟通时间 | "
            "沟通日期 | 跟进时间 | 跟进日期 | 发生时间 | 联系时间"
        ),
        "follow_up_on": _words(
            "follow up on | follow up | follow up date | next follow up | 下次跟进 | 下次跟进日期 | "
            "下次跟进时间 | 下次联系时间 | 下次联系日期 | 回访日期"
        ),
    },
}
WORDS["products"] = {
    "sku": _words(
        "sku | item code | product code | item no | item number | part number | article number | "
        "code | 编码 | 商品编码 | 产品编码 | 物料编码 | 货号 | 商品编号 | 产品编号 | 料号 | 编号"
    ),
    "name": _words(
        "name | product | product name | item | item name | 名称 | 产品 | 产品名称 | 商品 | 商品名称 | "
        "品名 | 物料名称"
    ),
    "category": _words(
        "category | product category | group | family | 类别 | 分类 | 产品类别 | 产品分类 | 商品分类 | 品类"
    ),
    "unit": _words("unit | uom | unit of measure | 单位 | 计量单位 | 计价单位"),
    "list_price": _words(
        "list price | price | unit price | sales price | selling price | 价格 | 单价 | 售价 | 标价 | "
        "销售价 | 销售单价 | 零售价 | 定价"
    ),
    "cost_price": _words(
        "cost | cost price | unit cost | purchase price | 成本 | 成本价 | 进价 | 采购价 | 成本单价"
    ),
    "tax_rate": _words("tax | tax rate | vat | vat rate | tax % | 税率 | 增值税率 | 税点 | 税"),
    "is_active": _words(
        "active | enabled | on sale | status | 启用 | 是否启用 | 在售 | 是否在售 | 状态"
    ),
    "description": _words(
        "description | details | specification | spec | notes | 描述 | 说明 | 规格 | 规格说明 | 备注 | "
        "产品描述"
    ),
}

_BRACKETS = re.compile(r"[(（\[【<《].*?[)）\]】>》]|[*＊]|必填|选填")
_CJK = re.compile(r"[\u3400-\u9fff]")


def match_headers(headers: list[str], words: dict[str, frozenset[str]]) -> dict[str, str | None]:
    """``{header: field name or None}``, each field given to one header at most.

    ``words`` holds each field's folded words, in the order fields win a tie. A header only
    gets a field it matches best: when that one went to another column, a weaker match
    ("公司电话号码" holds "公司", a company name) would be a wrong guess, not a second best.
    """
    candidates = []
    for position, header in enumerate(headers):
        key, bare = fold(header), fold(_BRACKETS.sub("", header))
        scores = {name: _score(key, bare, field_words) for name, field_words in words.items()}
        best = max(filter(None, scores.values()), default=None)
        candidates += [
            (best, position, order, header, name)
            for order, (name, score) in enumerate(scores.items())
            if best and score == best
        ]
    candidates.sort(key=lambda candidate: (tuple(-part for part in candidate[0]), *candidate[1:3]))
    mapping: dict[str, str | None] = dict.fromkeys(headers)
    used = set()
    for *_rank, header, name in candidates:
        if mapping[header] is None and name not in used:
            mapping[header] = name
            used.add(name)
    return mapping


def _score(key: str, bare: str, words: frozenset[str]) -> tuple[int, int, int] | None:
    if key in words:
        return (3, 0, 0)
    if bare in words:
        return (2, 0, 0)
    best = None
    for word in words:
        # Short Latin words hide inside others ("tel" in "hotel"); Chinese ones seldom do.
        if len(word) >= (2 if _CJK.search(word) else 4) and word in bare:
            score = (1, int(bare.endswith(word)), len(word))
            best = max(best or score, score)
    return best
