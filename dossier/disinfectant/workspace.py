"""Finding and loading the products of a workspace: `content/disinfectant/<product>/product.yaml`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from dossier.disinfectant.credentials import Labs, labs_file, load_labs
from dossier.disinfectant.evaluation import check_renewal, check_report_items
from dossier.disinfectant.model import Product
from dossier.disinfectant.reader import load_product
from dossier.disinfectant.requirements import plan_tests
from dossier.disinfectant.validity import validity_warnings
from dossier.errors import Problems

PRODUCTS_DIR = Path("content") / "disinfectant"
PRODUCT_FILE = "product.yaml"


def product_files(workspace_root: Path) -> list[Path]:
    """Every product YAML of the workspace, in name order."""
    return sorted((workspace_root / PRODUCTS_DIR).glob(f"*/{PRODUCT_FILE}"))


def _shown(path: Path, root: Path) -> str:
    """`path` relative to the workspace root when it is inside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def load_checked(paths: list[Path], root: Path | None = None) -> list[Product]:
    """Load products (with the labs.yaml beside their folders); every problem of every file is
    reported together (InputErrors)."""
    problems = Problems()
    products = []
    labs: dict[Path, Labs | None] = {}
    for path in paths:
        product = load_product(path, problems, _shown(path, root) if root else str(path))
        if product is None:
            continue
        plan = plan_tests(product.rules, product.selection)
        check_report_items(product, plan, problems)
        check_renewal(product, plan, problems)
        file = labs_file(path).resolve()
        if file not in labs:
            labs[file] = load_labs(file, problems, _shown(file, root) if root else str(file))
        products.append(replace(product, labs=labs[file]))
    problems.raise_if_any()
    return products


def load_products(workspace_root: Path) -> list[Product]:
    """All products of the workspace, checked."""
    return load_checked(product_files(workspace_root), workspace_root)


def workspace_validity_warnings(workspace_root: Path, today: date) -> list[str]:
    """Validity warnings of every product of the workspace (for `dossier status`)."""
    return [w for product in load_products(workspace_root) for w in validity_warnings(product, today)]
