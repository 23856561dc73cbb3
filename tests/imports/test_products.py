"""Importing the catalogue: headers guessed in English and Chinese, duplicates by SKU
skipped or updated, managers only, a result file, and undo."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from imports.fields import guess_mapping
from imports.forms import UploadForm
from imports.services import import_now
from imports.undo import undo_import
from products.models import Product
from tests.factories import ProductFactory
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db

CHINESE = ["商品编码", "产品名称", "单位", "单价", "成本价", "税率", "分类", "是否启用"]


def imported(user, *rows, headers=CHINESE, **options):
    file = ContentFile(csv_bytes([headers, *rows], bom=True), name="products.csv")
    return import_now(by=user, kind="products", file=file, **options)


def test_headers_are_guessed_in_english_and_chinese():
    assert guess_mapping("products", CHINESE) == {
        "商品编码": "sku",
        "产品名称": "name",
        "单位": "unit",
        "单价": "list_price",
        "成本价": "cost_price",
        "税率": "tax_rate",
        "分类": "category",
        "是否启用": "is_active",
    }
    english = ["SKU", "Product name", "Unit", "List price", "Cost", "VAT rate", "Category"]
    assert list(guess_mapping("products", english).values()) == [
        "sku",
        "name",
        "unit",
        "list_price",
        "cost_price",
        "tax_rate",
        "category",
    ]


def test_a_manager_imports_products_and_undoes_it(manager):
    run = imported(
        manager,
        ["rt-100", "路由器", "台", "¥1,200.00", "800", "13%", "网络", "是"],
        ["SW-8", "交换机", "台", "300", "", "0.06", "网络", "否"],
    )
    assert (run.created_count, run.failed_count) == (2, 0)
    router = Product.objects.get(sku="RT-100")
    assert (router.list_price, router.cost_price, router.tax_rate) == (
        Decimal("1200.00"),
        Decimal("800.00"),
        Decimal("13.00"),
    )
    assert Product.objects.get(sku="SW-8").tax_rate == Decimal("6.00")
    assert not Product.objects.get(sku="SW-8").is_active
    assert run.result_file
    undo_import(run_id=run.pk, by=manager)
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("mode", "outcome", "price"),
    [
        ("skip", "skipped", "100.00"),
        ("update", "updated", "150.00"),
        ("create", "failed", "100.00"),
    ],
)
def test_a_known_sku_is_skipped_updated_or_refused(manager, mode, outcome, price):
    ProductFactory(sku="RT-100", name="Router", list_price=Decimal("100.00"))
    run = imported(
        manager,
        ["RT-100", "", "", "150", "", "", "", ""],
        on_duplicate=mode,
    )
    assert getattr(run, f"{outcome}_count") == 1
    assert Product.objects.get().list_price == Decimal(price)
    if mode == "update":
        undo_import(run_id=run.pk, by=manager)
        assert Product.objects.get().list_price == Decimal("100.00")


def test_a_salesperson_may_not_import_products(salesperson):
    with pytest.raises(PermissionDenied):
        imported(salesperson, ["RT-1", "Router", "", "1", "", "", "", ""])
    kinds = dict(UploadForm(user=salesperson).fields["kind"].choices)
    assert "products" not in kinds and "customers" in kinds
