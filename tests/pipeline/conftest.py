"""The example filings built once per session (one LibreOffice batch): the three examples plus an
incomplete variant (no pH report) and an imported variant (German maker, unit in China)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dossier.disinfectant.workspace import load_products
from dossier.pipeline.filings import build_filings
from tests.disinfectant_support import EXAMPLES, make_imported

INCOMPLETE, IMPORTED = "skin-ethanol-no-ph", "skin-ethanol-imported"
PH_ITEM = """      - item: pH值测定
        result: pH 6.9（25 ℃）
        conclusion: 合格
"""


@pytest.fixture(scope="session")
def filing_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the example products and the two variants."""
    root = tmp_path_factory.mktemp("workspace")
    (root / "content").mkdir()
    products = root / "content" / "disinfectant"
    shutil.copytree(EXAMPLES, products)
    for variant in (INCOMPLETE, IMPORTED):
        shutil.copytree(EXAMPLES / "skin-ethanol", products / variant)
    product = products / INCOMPLETE / "product.yaml"
    text = product.read_text(encoding="utf-8")
    assert PH_ITEM in text
    product.write_text(text.replace(PH_ITEM, ""), encoding="utf-8")
    make_imported(products / IMPORTED / "product.yaml")
    return root


@pytest.fixture(scope="session")
def filings(filing_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """{file name: path} of every file `build_filings` wrote for the workspace."""
    out = tmp_path_factory.mktemp("out")
    written = build_filings(load_products(filing_workspace), out)
    return {p.name: p for p in written}
