"""Words the synthetic data is made of: Chinese and English, like the demo data (demo), with
enough variety that a million customers are not a few hundred names repeated.

Each function takes the caller's ``random.Random`` so that the data stays deterministic.
"""

CN_CITIES = [
    "上海",
    "北京",
    "深圳",
    "杭州",
    "广州",
    "成都",
    "苏州",
    "南京",
    "武汉",
    "西安",
    "重庆",
    "天津",
    "青岛",
    "厦门",
    "宁波",
    "长沙",
    "郑州",
    "合肥",
    "昆明",
    "大连",
]
CN_WORDS = [
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
    "鼎盛",
    "嘉禾",
    "明德",
    "正泰",
    "中联",
    "远航",
    "汇通",
    "盛世",
    "锦程",
    "永利",
    "万象",
    "启明",
    "和信",
    "同创",
    "信达",
    "海纳",
    "立新",
    "晨光",
    "宝丰",
    "国泰",
    "联创",
    "恒基",
    "九州",
    "华宇",
    "众合",
    "凯旋",
    "润泽",
    "长城",
]
CN_TRADES = [
    "科技",
    "贸易",
    "制造",
    "物流",
    "医疗器械",
    "教育咨询",
    "新能源",
    "建设工程",
    "电子",
    "食品",
    "化工",
    "信息技术",
    "供应链",
    "环保",
    "汽车配件",
    "文化传媒",
]
EN_PREFIXES = [
    "North",
    "Blue",
    "Silver",
    "Ever",
    "Bright",
    "Oak",
    "Red",
    "Iron",
    "Clear",
    "Lake",
    "Stone",
    "Green",
    "Golden",
    "High",
    "Sun",
    "Star",
    "West",
    "East",
    "River",
    "Maple",
    "Cedar",
    "Pine",
    "Falcon",
    "Eagle",
    "Harbor",
    "Summit",
    "Crystal",
    "Swift",
    "Arrow",
    "Copper",
]
EN_ROOTS = [
    "wind",
    "peak",
    "line",
    "green",
    "water",
    "ridge",
    "stone",
    "bridge",
    "view",
    "side",
    "field",
    "gate",
    "point",
    "brook",
    "wood",
    "crest",
    "haven",
    "port",
    "vale",
    "forge",
    "light",
    "mark",
    "way",
    "stream",
]
EN_TRADES = [
    "Trading",
    "Logistics",
    "Software",
    "Foods",
    "Medical",
    "Energy",
    "Retail",
    "Engineering",
    "Systems",
    "Components",
    "Analytics",
    "Packaging",
    "Textiles",
    "Robotics",
    "Consulting",
    "Labs",
]
EN_SUFFIXES = ("Ltd", "Inc.", "Group", "GmbH", "LLC", "Co.")
CN_SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "胡",
    "朱",
    "高",
    "林",
    "何",
    "郭",
    "马",
    "罗",
]
CN_GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "婷",
    "强",
    "军",
    "平",
    "刚",
    "桂英",
    "建华",
    "秀兰",
    "志强",
    "晓明",
]
EN_FIRST = [
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
    "Chloe",
    "Ethan",
    "Mia",
    "Noah",
    "Ava",
    "Liam",
    "Zoe",
    "Oliver",
    "Ruby",
    "Henry",
]
EN_LAST = [
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
    "Wright",
    "Green",
    "Hall",
    "Wood",
    "Harris",
    "Martin",
    "Cooper",
    "King",
    "Baker",
    "Young",
]
TITLES = (
    "采购经理",
    "总经理",
    "IT Director",
    "Purchasing Manager",
    "CFO",
    "运营总监",
    "Office Manager",
    "技术负责人",
    "Head of Operations",
)
NEEDS = (
    "Replace the ageing ERP integration before the next fiscal year.",
    "需要年度维保服务，预算在第三季度确定。",
    "Looking for a supplier with delivery to three regional warehouses.",
    "希望试用后再决定采购数量。",
    "Wants volume pricing for 500+ seats.",
    "计划明年扩建生产线，关注设备交付周期。",
    "",
    "",
)
ADDRESSES = (
    "上海市浦东新区世纪大道100号",
    "北京市朝阳区建国路88号",
    "深圳市南山区科技园南区",
    "杭州市西湖区文三路90号",
    "1 King Street, London",
    "200 Park Avenue, New York",
    "",
)
DEAL_NAMES = (
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
    "生产线自动化改造",
    "CRM rollout",
    "安防监控系统",
    "Data centre expansion",
)
NEXT_STEPS = ("Send proposal", "安排演示", "Call the buyer", "等待报价审批", "Site visit", "")
LOST_REASONS = ("Price too high", "选择了竞争对手", "Project postponed", "预算取消")
REJECTION_REASONS = (
    "Discount above 15% needs a framework agreement.",
    "折扣过高，请按标准价目表重新报价。",
    "Payment terms must be 30 days, not 90.",
)
SERVICE_LINES = (
    "Implementation services",
    "安装调试服务",
    "Training (days)",
    "年度技术支持",
    "Spare parts kit",
    "现场巡检服务",
)
QUOTE_TERMS = "Payment within 30 days of delivery. 货到30天内付款。"
# (channel, direction, subject, first sentence of the content)
CONVERSATIONS = (
    ("phone", "outbound", "Intro call", "Introduced our services; they asked for references."),
    ("email", "outbound", "发送产品资料", "已发送产品手册和报价范围，客户将在内部讨论。"),
    ("meeting", "outbound", "Requirements workshop", "Went through their process and pain points."),
    ("visit", "outbound", "现场拜访", "参观了仓库，确认了部署环境和网络条件。"),
    ("phone", "inbound", "Question about delivery times", "They need delivery within four weeks."),
    ("message", "inbound", "微信咨询价格", "客户询问批量采购折扣。"),
    ("email", "inbound", "Feedback on the proposal", "Asked to split the offer into two phases."),
    ("meeting", "outbound", "Contract negotiation", "Agreed on payment terms; legal review next."),
    ("other", "outbound", "Trade fair follow-up", "Met their buyer at the fair; exchanged cards."),
    ("phone", "outbound", "回访", "客户对上次交付满意，提到明年可能增加预算。"),
    ("email", "outbound", "Quote sent", "Sent the quote with two options; waiting for feedback."),
    ("visit", "outbound", "Technical survey", "Checked the site; power and network are ready."),
)
MORE_CONTENT = (
    "Next: send the revised price list.",
    "下周再跟进一次。",
    "The decision maker is their COO.",
    "需要技术部门确认接口方案。",
    "Budget approved for Q3.",
    "客户要求提供三家参考案例。",
    "They compare us with two competitors.",
    "",
)


def company_name(rng) -> str:
    if rng.random() < 0.5:
        return (
            f"{rng.choice(CN_CITIES)}{rng.choice(CN_WORDS)}{rng.choice(CN_WORDS)}"
            f"{rng.choice(CN_TRADES)}有限公司"
        )
    return (
        f"{rng.choice(EN_PREFIXES)}{rng.choice(EN_ROOTS)} {rng.choice(EN_TRADES)} "
        f"{rng.choice(EN_SUFFIXES)}"
    )


def person_name(rng) -> str:
    if rng.random() < 0.5:
        return rng.choice(CN_SURNAMES) + rng.choice(CN_GIVEN)
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def phone(rng) -> tuple[str, str]:
    """A phone number as people type it, and its digits (``normalize_phone``'s result)."""
    if rng.random() < 0.75:
        a, b, c = (
            f"1{rng.choice('3589')}{rng.randrange(10)}",
            rng.randrange(10**4),
            rng.randrange(10**4),
        )
        return f"+86 {a} {b:04d} {c:04d}", f"86{a}{b:04d}{c:04d}"
    b, c = rng.randrange(10**4), rng.randrange(10**4)
    return f"+44 20 {b:04d} {c:04d}", f"4420{b:04d}{c:04d}"
