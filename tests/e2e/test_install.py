"""An installed dossier (a wheel, as a user or a CI image installs it) initialises and builds a workspace.

The wheel is built from this repository and installed into a fresh virtual environment; its
dependencies come from the test environment (a `.pth` line), so the test checks what the wheel
carries (templates, rule data, fonts catalogue) without downloading anything. It then runs
`dossier init` and `dossier build` in a directory outside the repository, and initialises the
device-gmp-2025 starter there and checks it (the starter's documents and rule set are package data).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE_DATA = (
    "dossier/word/templates/procedure.docx",
    "dossier/word/templates/quality_manual.docx",
    "dossier/fonts/fonts.yaml",
    "dossier/disinfectant/rules/ws2014/table1.yaml",
    "dossier/site/templates/index.html.j2",
    "dossier/site/templates/sections/history.html.j2",
    "dossier/site/static/site.js",
    "dossier/site/static/favicon.svg",
    "dossier/pdf/void_glyphs.json",
    "dossier/coverage/rules/device-gmp-2025/articles.yaml",
    "dossier/coverage/rules/device-gmp-2025/ruleset.yaml",
    "dossier/starters/device-gmp-2025/dossier.yaml",
    "dossier/starters/device-gmp-2025/external.yaml",
    "dossier/starters/device-gmp-2025/people.yaml",
    "dossier/starters/device-gmp-2025/content/QM-01.md",
    "dossier/starters/device-gmp-2025/content/QR-13-01.yaml",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """bin/ of a fresh venv with the wheel of this repository installed."""
    base = tmp_path_factory.mktemp("wheel")
    wheels = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True, cwd=base)
    wheel = next(wheels.glob("dossier-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in PACKAGE_DATA if name not in names]
    assert not missing, f"the wheel lacks {missing}"
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "deps-from-test-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv / "bin"


def test_the_installed_package_is_the_wheel_not_the_repository(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "python"), "-c", "import dossier; print(dossier.__file__)"], cwd=tmp_path,
                           check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(installed.parent)) and str(REPO) not in where


def test_init_and_build_outside_the_repository(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": ""}
    init = subprocess.run([str(installed / "dossier"), "init", "new-ws"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    workspace = tmp_path / "new-ws"
    build = subprocess.run([str(installed / "dossier"), "build"], cwd=workspace, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    built = sorted(p.name for p in (workspace / "build").iterdir() if p.is_file())
    assert {"QP-01.docx", "QP-01.pdf", "QR-01-01.docx", "QR-01-01.pdf"} <= set(built), built
    text = subprocess.run(["pdftotext", str(workspace / "build" / "QP-01.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "文件控制程序" in text and "第1页共2页" in text.replace(" ", "")
    site = subprocess.run([str(installed / "dossier"), "site"], cwd=workspace, env=env, capture_output=True, text=True)
    assert site.returncode == 0, site.stderr
    assert "受控文件清单" in (workspace / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert (workspace / "build" / "site" / "assets" / "site.js").is_file()
    assert (workspace / "schemas" / "dossier.schema.json").is_file() and (workspace / ".vscode" / "settings.json").is_file()


def test_the_installed_starter_checks_and_meets_every_article(installed: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": ""}
    dossier = str(installed / "dossier")
    init = subprocess.run([dossier, "init", "ws", "--starter", "device-gmp-2025", "--company", "某某医疗器械有限公司"], cwd=tmp_path,
                          env=env, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    assert len(list((tmp_path / "ws" / "content").glob("*.yaml"))) == 115
    check = subprocess.run([dossier, "check"], cwd=tmp_path / "ws", env=env, capture_output=True, text=True)
    assert check.returncode == 0 and check.stdout.startswith("ok: 115 documents valid"), check.stderr
    coverage = subprocess.run([dossier, "coverage", "--json", "--no-files"], cwd=tmp_path / "ws", env=env, capture_output=True, text=True)
    assert coverage.returncode == 0, coverage.stderr
    assert '"failing": []' in coverage.stdout
