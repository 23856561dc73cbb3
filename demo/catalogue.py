"""A small demo catalogue: a dozen products with Chinese and English names, several tax
rates (13 % goods, 6 % services, 0 % for an export item), made once."""

from decimal import Decimal

from products.models import Product

# (SKU, name, category, unit, list price, cost price, tax %)
PRODUCTS = [
    ("CC-TRK-01", "冷藏车 Refrigerated truck", "车辆 Vehicles", "辆", "285000", "231000", "13"),
    ("CC-BOX-20", "冷链箱 20L Cold box 20 L", "设备 Equipment", "个", "680", "390", "13"),
    ("CC-SNS-T1", "温度传感器 Temperature sensor", "设备 Equipment", "个", "320", "150", "13"),
    ("CC-GW-100", "物联网网关 IoT gateway", "设备 Equipment", "台", "2400", "1500", "13"),
    ("CC-RACK-4", "冷库货架 Cold-room rack", "设备 Equipment", "组", "5600", "3900", "13"),
    (
        "SW-FLEET-Y",
        "车队管理软件（年）Fleet software (year)",
        "软件 Software",
        "套",
        "36000",
        "8000",
        "6",
    ),
    (
        "SW-TRACE-Y",
        "追溯平台（年）Traceability platform (year)",
        "软件 Software",
        "套",
        "48000",
        "12000",
        "6",
    ),
    ("SV-INST-D", "安装调试 Installation", "服务 Services", "人天", "1800", "900", "6"),
    ("SV-TRAIN-D", "操作培训 Operator training", "服务 Services", "人天", "1500", "700", "6"),
    ("SV-SUP-Y", "年度技术支持 Annual support", "服务 Services", "年", "12000", "5000", "6"),
    (
        "EX-PANEL-E",
        "出口保温板 Insulation panel (export)",
        "设备 Equipment",
        "㎡",
        "260",
        "170",
        "0",
    ),
    (
        "CC-LOG-OLD",
        "旧款记录仪 Data logger (old model)",
        "设备 Equipment",
        "个",
        "450",
        "300",
        "13",
    ),
]


def demo_catalogue() -> list[Product]:
    """The demo products, created when missing; the last one is no longer sold."""
    products = []
    for sku, name, category, unit, price, cost, rate in PRODUCTS:
        product, _created = Product.objects.get_or_create(
            sku=sku,
            defaults={
                "name": name,
                "category": category,
                "unit": unit,
                "list_price": Decimal(price),
                "cost_price": Decimal(cost),
                "tax_rate": Decimal(rate),
                "is_active": sku != "CC-LOG-OLD",
            },
        )
        products.append(product)
    return [product for product in products if product.is_active]
