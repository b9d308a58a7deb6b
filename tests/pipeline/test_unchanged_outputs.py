"""Behaviour kept across refactoring: the example build and a 20-document workspace give the recorded bytes.

`tests/golden/outputs.json` holds the SHA-256 of every file `dossier build` writes for the example
workspace and for `bench/workspace.py`'s 20 procedures, plus a hash of each PDF's text. Change it
only in a commit that changes output on purpose, and say why there:

    DOSSIER_RECORD_GOLDEN=1 .venv/bin/python -m pytest tests/test_unchanged_outputs.py

PDF bytes depend on LibreOffice and the installed fonts as well as on dossier: where the
LibreOffice version differs from the one recorded, PDFs are compared by their text instead of
their bytes (the .docx files and the manifest's document list are compared byte for byte always).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.workspace import write_workspace
from tests.conftest import run_cli

pytestmark = pytest.mark.libreoffice

GOLDEN = Path(__file__).resolve().parent / "golden" / "outputs.json"
RECORD = os.environ.get("DOSSIER_RECORD_GOLDEN") == "1"


def libreoffice_version() -> str:
    """LibreOffice's build id and a hash of its versionrc (what decides PDF bytes besides dossier)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    versionrc = Path(soffice).resolve().parent / "versionrc" if soffice else None
    if versionrc is None or not versionrc.is_file():
        return "none"
    data = versionrc.read_bytes()
    build = next((line.split("=", 1)[1] for line in data.decode("utf-8", "replace").splitlines() if line.startswith("buildid=")), "")
    return f"{build} {hashlib.sha256(data).hexdigest()[:16]}"


def _text_sha256(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout
    return hashlib.sha256(text).hexdigest()


def outputs_of(root: Path, label: str) -> dict[str, dict[str, str]]:
    """{label/relative path: {sha256, text_sha256 for PDFs}} of every output under build/ (not the cache)."""
    found = {}
    build = root / "build"
    for path in sorted(p for p in build.rglob("*") if p.is_file() and ".cache" not in p.relative_to(build).parts):
        item = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
        if path.suffix == ".pdf":
            item["text_sha256"] = _text_sha256(path)
        found[f"{label}/{path.relative_to(root).as_posix()}"] = item
    return found


@pytest.fixture(scope="module")
def produced(example_build: Path, tmp_path_factory) -> dict[str, dict[str, str]]:
    bench = tmp_path_factory.mktemp("bench20")
    write_workspace(bench, 20)
    result = run_cli("build", str(bench))
    assert result.exit_code == 0, result.output
    return {**outputs_of(example_build, "example"), **outputs_of(bench, "bench20")}


def test_outputs_are_the_recorded_bytes(produced: dict[str, dict[str, str]]) -> None:
    if RECORD:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps({"libreoffice": libreoffice_version(), "outputs": produced}, indent=1, sort_keys=True)
                          + "\n", encoding="utf-8")
        pytest.skip("recorded tests/golden/outputs.json")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(produced) == sorted(golden["outputs"]), "the set of outputs changed"
    same_converter = golden["libreoffice"] == libreoffice_version()
    changed = []
    for name, item in produced.items():
        recorded = golden["outputs"][name]
        if name.endswith(".pdf") and not same_converter:
            if item["text_sha256"] != recorded["text_sha256"]:
                changed.append(f"{name} (text)")
        elif name.endswith("manifest.json") and not same_converter:
            continue  # lists PDF hashes
        elif item["sha256"] != recorded["sha256"]:
            changed.append(name)
    assert not changed, f"outputs differ from tests/golden/outputs.json: {changed}"
