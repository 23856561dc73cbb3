"""The house's floors (README, "Layout"): each package imports only the floors below it.

crm <- webhooks, notifications <- customers <- opportunities <- communications <- quotes
    <- orders <- imports, emailing <- dashboard, api, demo

``crm`` is the ground every app stands on; ``webhooks`` and ``notifications`` stand just above
it, so that every domain app can record its events and tell people by e-mail there; the domain apps stand on it and on each other in
that order; imports stand on every domain app; the dashboard, the API and the demo stand on
all of them and on nothing of each other. ``bench`` (tooling) and ``tests`` stand outside
and may import anything; nothing in the product imports them.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FLOORS = {
    "crm": 0,
    "webhooks": 0.5,
    "notifications": 0.5,
    "customers": 1,
    "opportunities": 2,
    "communications": 3,
    "quotes": 4,
    "orders": 5,
    "imports": 6,
    "emailing": 6,
    "dashboard": 7,
    "api": 7,
    "demo": 7,
}
OUTSIDE = {"bench", "tests"}
#: Longest module outside tests, migrations and bench's vocabularies of demo words.
MAX_LINES = 400


def product_modules():
    for package in FLOORS:
        yield from sorted((ROOT / package).rglob("*.py"))


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level package, line) of every import in the module, lazy ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.split(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: stays inside its own package
                continue
            found.add((node.module.split(".")[0], node.lineno))
    return found


def wrong_arrows(path: Path, root: Path = ROOT) -> list[str]:
    package = path.relative_to(root).parts[0]
    arrows = []
    for imported, line in sorted(imported_packages(path)):
        where = f"{path.relative_to(root)}:{line} imports {imported}"
        if imported in OUTSIDE:
            arrows.append(f"{where}, which is tooling outside the product")
        elif imported in FLOORS and imported != package and FLOORS[imported] >= FLOORS[package]:
            arrows.append(f"{where}, which does not stand below {package}")
    return arrows


def test_every_import_points_down_the_floors():
    arrows = [arrow for path in product_modules() for arrow in wrong_arrows(path)]
    assert arrows == []


def test_the_check_sees_an_arrow_against_the_order(tmp_path):
    for package in ("customers", "dashboard"):
        (tmp_path / package).mkdir()
    upward = tmp_path / "customers" / "wrong.py"
    upward.write_text("import crm.access\n\ndef f():\n    from orders.models import Order\n")
    sideways = tmp_path / "dashboard" / "wrong.py"
    sideways.write_text("from api import crm_api\nfrom bench import rows\n")
    assert wrong_arrows(upward, tmp_path) == [
        "customers/wrong.py:4 imports orders, which does not stand below customers"
    ]
    assert wrong_arrows(sideways, tmp_path) == [
        "dashboard/wrong.py:1 imports api, which does not stand below dashboard",
        "dashboard/wrong.py:2 imports bench, which is tooling outside the product",
    ]


@pytest.mark.parametrize("app_label", [label for label in FLOORS if apps.is_installed(label)])
def test_every_model_relation_points_down_the_floors(app_label):
    wrong = []
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.get_fields():
            target = field.related_model
            if not target or field.auto_created:
                continue
            floor = FLOORS.get(target._meta.app_label)
            if floor is not None and floor > FLOORS[app_label]:
                wrong.append(f"{model.__name__}.{field.name} -> {target._meta.label}")
    assert wrong == []


def test_no_module_outgrows_a_page_or_two():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in [*product_modules(), *sorted(ROOT.glob("[bs]*/*.py"))]
        if "migrations" not in path.parts and path.name != "vocabulary.py"
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}
