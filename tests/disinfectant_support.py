"""Helpers shared by the disinfectant tests: private copies of the example products."""

from __future__ import annotations

import shutil
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "content" / "disinfectant"


def copy_example(tmp_path: Path, name: str = "skin-ethanol") -> Path:
    """A private copy of an example product (with the shared seal); returns its product.yaml."""
    shutil.copy(EXAMPLES / "seal.png", tmp_path / "seal.png")
    shutil.copytree(EXAMPLES / name, tmp_path / name)
    return tmp_path / name / "product.yaml"


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a file by `new` (which must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


LICENCES = """  hygiene_licence:  # 卫生许可证 and its renewal (validity four years)
    - {number: 苏卫消证字（2021）第3205-0088号, valid_from: 2021-03-15, valid_until: 2025-03-14}
    - {number: 苏卫消证字（2025）第3205-0088号, valid_from: 2025-03-10, valid_until: 2029-03-09}
"""


def make_imported(path: Path) -> None:
    """Turn a copy of the skin-ethanol example into an imported product (German maker, Chinese unit)."""
    edit(path, "imported: false", "imported: true\n  name_en: Example 75% Ethanol Skin Disinfectant")
    edit(path, "  country: 中国\n", "  country: 德国\n  name_en: Example Hygiene GmbH\n")
    edit(path, LICENCES, "")
    edit(path, "    licence_category_matches: 是\n", "")
    edit(path, "  hygiene_licence: [materials/licence.png]\n", "  import_documents: [materials/licence.png]\n")
    edit(path, "evaluation:\n", "import:\n  customs_declaration: '223320240000123456'\n  business_licence: 91320500MA1EXAMPL1\n\nevaluation:\n")
