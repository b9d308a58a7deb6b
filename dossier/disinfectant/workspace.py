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
from dossier.errors import Problems, Warnings
from dossier.workspace.inputs import outside_message, resolve_inside

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


def content_folder(product: Path, root: Path | None = None) -> Path:
    """Where a product's materials and seal must lie: the content folder of the workspace holding it
    (`root`, else the nearest folder above it with dossier.yaml), else the folder of products."""
    start = product.absolute().parent
    for folder in ([root] if root else []) + list(start.parents):
        if folder is not None and (folder / "dossier.yaml").is_file() and start.is_relative_to(folder.absolute()):
            return folder.absolute() / PRODUCTS_DIR.parts[0]
    return start.parent


def load_checked(paths: list[Path], root: Path | None = None, warnings: Warnings | None = None) -> list[Product]:
    """Load products (with the labs.yaml beside their folders); every problem of every file is
    reported together (InputErrors); warnings (a rule set not in force) go to `warnings` when given.

    A product (or a material or seal it names) that lies outside its workspace's content folder,
    after following links, is an input error.
    """
    problems = Problems(warnings)
    products = []
    labs: dict[Path, Labs | None] = {}
    for path in paths:
        shown = _shown(path, root) if root else str(path)
        folder = content_folder(path, root)
        if resolve_inside(path.parent, path.name, folder) is None:
            problems.add(shown, None, "", outside_message(shown, folder.name))
            continue
        product = load_product(path, problems, shown, folder)
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


def load_products(workspace_root: Path, warnings: Warnings | None = None) -> list[Product]:
    """All products of the workspace, checked; their warnings go to `warnings` when given."""
    return load_checked(product_files(workspace_root), workspace_root, warnings)


def workspace_validity_warnings(workspace_root: Path, today: date) -> list[str]:
    """Validity warnings of every product of the workspace (for `dossier status`)."""
    return [w for product in load_products(workspace_root) for w in validity_warnings(product, today)]
