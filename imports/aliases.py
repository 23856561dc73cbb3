"""Words people write in spreadsheets for a choice, beyond its value and its labels.

`imports.values.ChoiceReader` already reads each choice's value and its label in every
language of the site ("active", "Active", "成交客户"); these are the other common ways
of saying it, in English and Chinese. A word listed for two choices of a field is ignored.
"""

from communications.models import Communication
from customers.models import Customer
from opportunities.models import Opportunity

_Kind, _Status, _Source = Customer.Kind, Customer.Status, Customer.Source
_Industry, _Rating = Customer.Industry, Customer.Rating
_Stage, _Channel, _Direction = (
    Opportunity.Stage,
    Communication.Channel,
    Communication.Direction,
)


def _words(table: dict) -> tuple[tuple[str, str], ...]:
    return tuple((word, value) for value, words in table.items() for word in words)


CHOICES = {
    (Customer, "kind"): _words(
        {
            _Kind.COMPANY: ("公司", "企业客户", "单位", "business", "organization", "b2b"),
            _Kind.INDIVIDUAL: ("个人客户", "自然人", "person", "private", "b2c"),
        }
    ),
    (Customer, "status"): _words(
        {
            _Status.LEAD: ("新线索", "new", "new lead"),
            _Status.PROSPECT: ("潜在", "意向", "意向客户", "跟进中"),
            _Status.ACTIVE: ("活跃", "成交", "已成交", "合作中", "active customer"),
            _Status.INACTIVE: ("不活跃", "流失", "流失客户", "停用", "休眠", "lost", "dormant"),
        }
    ),
    (Customer, "source"): _words(
        {
            _Source.WEBSITE: ("官网", "网站咨询", "web", "online", "internet"),
            _Source.REFERRAL: ("介绍", "推荐", "老客户介绍", "客户推荐", "word of mouth"),
            _Source.EVENT: ("展会", "会议", "活动", "trade show", "exhibition", "conference"),
            _Source.COLD_CALL: ("陌拜", "电话营销", "电销", "陌生拜访", "telemarketing"),
            _Source.ADVERTISING: ("广告投放", "推广", "ads", "ad", "marketing"),
            _Source.PARTNER: ("渠道", "代理商", "经销商", "合作方", "reseller", "channel"),
        }
    ),
    (Customer, "industry"): _words(
        {
            _Industry.MANUFACTURING: ("制造", "工业", "生产"),
            _Industry.RETAIL: ("零售", "批发", "贸易", "电商", "retail", "wholesale", "trade"),
            _Industry.TECHNOLOGY: ("it", "互联网", "软件", "科技", "tech", "software"),
            _Industry.FINANCE: ("金融", "银行", "保险", "证券", "finance", "banking"),
            _Industry.HEALTHCARE: ("医疗", "医药", "医院", "health", "medical"),
            _Industry.CONSTRUCTION: ("建筑", "房地产", "地产", "construction", "real estate"),
            _Industry.LOGISTICS: ("物流", "运输", "快递", "logistics", "transport"),
            _Industry.ENERGY: ("能源", "电力", "公用事业", "energy", "utilities"),
            _Industry.GOVERNMENT: ("政府", "事业单位", "公共部门", "government", "public"),
            _Industry.HOSPITALITY: ("餐饮", "酒店", "旅游", "hotel", "restaurant"),
        }
    ),
    (Customer, "rating"): _words(
        {
            _Rating.A: ("重点客户", "重点", "key account", "key"),
            _Rating.B: ("重要客户", "重要", "important"),
            _Rating.C: ("普通客户", "普通", "一般", "regular", "normal"),
            _Rating.D: ("低优先级", "低", "low", "low priority"),
        }
    ),
    (Opportunity, "stage"): _words(
        {
            _Stage.PROSPECTING: ("初步接触", "初步沟通", "线索", "prospect", "lead", "new"),
            _Stage.QUALIFIED: ("已确认", "需求确认", "qualification"),
            _Stage.PROPOSAL: ("方案", "报价", "proposal/price quote", "quote", "quotation"),
            _Stage.NEGOTIATION: ("谈判", "议价", "negotiation/review"),
            _Stage.WON: ("成交", "赢单", "签约", "已签约", "closed won"),
            _Stage.LOST: ("输单", "失败", "丢失", "closed lost"),
        }
    ),
    (Communication, "channel"): _words(
        {
            _Channel.PHONE: ("电话沟通", "通话", "call", "phone call", "telephone"),
            _Channel.EMAIL: ("邮件", "电子邮件", "mail", "email"),
            _Channel.MEETING: ("开会", "线上会议", "视频会议", "video call"),
            _Channel.VISIT: ("上门", "上门拜访", "面谈", "in person"),
            _Channel.MESSAGE: ("微信", "短信", "qq", "wechat", "sms", "chat", "text"),
        }
    ),
    (Communication, "direction"): _words(
        {
            _Direction.INBOUND: ("来电", "客户来电", "in", "incoming", "呼入"),
            _Direction.OUTBOUND: ("去电", "主动联系", "out", "outgoing", "呼出"),
        }
    ),
}
