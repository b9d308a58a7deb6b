#!/usr/bin/env python3
"""Write the repository's example workspace from the device-gmp-2025 starter (the starter is the source).

    .venv/bin/python scripts/sync-example.py

Replaces content/*.yaml, content/*.md, content/*.csv (a validation report's results) and
external.yaml with the starter's files (the disinfectant products in content/disinfectant/ stay)
and rewrites the starter-derived part of dossier.yaml, adding the example's signing profiles. tests/workspace/test_example_is_the_starter.py
fails until the two agree.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dossier.actions.starter import starter_files  # noqa: E402

COMPANY, ADDRESS = "示例医疗科技有限公司", "江苏省苏州市工业园区示例路88号"
HEADER = "# The repository's example workspace: the device-gmp-2025 starter for 示例医疗科技有限公司 (scripts/sync-example.py).\n"
SIGNING = """signing:                          # keys come from the environment, never from this repository
  profiles:                       # each signs for the person its certificate belongs to
    author:   {role: 编制, pkcs12_env: DOSSIER_AUTHOR_P12, passphrase_env: DOSSIER_AUTHOR_PASS}
    reviewer: {role: 审核, pkcs12_env: DOSSIER_REVIEWER_P12, passphrase_env: DOSSIER_REVIEWER_PASS}
    approver: {role: 批准, pkcs12_env: DOSSIER_APPROVER_P12, passphrase_env: DOSSIER_APPROVER_PASS}
  # people: {王建国: 3fa1…9c}     # optional: name -> SHA-256 fingerprint(s) of their certificates
"""


def main() -> None:
    files = starter_files("device-gmp-2025", COMPANY, ADDRESS, "2026-01-01")
    content = REPO / "content"
    for path in list(content.glob("*.yaml")) + list(content.glob("*.md")) + list(content.glob("*.csv")):
        path.unlink()
    for relative, text in files.items():
        if relative == "dossier.yaml":
            text = text.replace(f'"{COMPANY}"', COMPANY).replace(f'"{ADDRESS}"', ADDRESS) + SIGNING
            text = HEADER + text.split("\n", 1)[1]
        (REPO / relative).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files from the device-gmp-2025 starter")


if __name__ == "__main__":
    main()
