"""Signed filings: `build --sign` signs every annex PDF and the bound filing after stamping,
binding and normalising, and `verify` checks them (throwaway keys from tests/signing_support)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from dossier.cli import cli
from tests.disinfectant_support import EXAMPLES
from tests.signing_support import write_keys

DEVICE = "plasma-air-device"


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_signed_filings_verify(tmp_path: Path) -> None:
    keys = write_keys(tmp_path / "secrets")
    root = tmp_path / "ws"
    assert run("init", root).exit_code == 0
    shutil.copytree(EXAMPLES / DEVICE, root / "content" / "disinfectant" / DEVICE)
    shutil.copy(EXAMPLES / "seal.png", root / "content" / "disinfectant" / "seal.png")
    with (root / "dossier.yaml").open("a", encoding="utf-8") as config:
        config.write(f"signing:\n  profiles:\n    seal: {{role: 公司电子印章, pkcs12_file: {keys.seal_p12}, "
                     f"passphrase_file: {keys.seal_pass}, position: first-page}}\n")
    built = run("build", root, "--sign", "seal")
    assert built.exit_code == 0, built.output
    folder = root / "build" / "disinfectant" / DEVICE
    pdfs = sorted(folder.glob("*.pdf"))
    assert [p.name.removeprefix(f"{DEVICE}-") for p in pdfs] == [
        "annex2-test-items.pdf", "annex3-evaluation-report.pdf", "annex4-filing-form.pdf",
        "annex5-certificate-draft.pdf", "filing.pdf",
    ]
    verified = run("verify", *pdfs, "--trust", keys.ca_cert, "--json")
    assert verified.exit_code == 0, verified.output
    report = json.loads(verified.stdout)
    assert report["ok"] and len(report["files"]) == 5
    for entry in report["files"]:
        (signature,) = entry["signatures"]
        assert signature["ok"] and signature["trusted"] and signature["role"] == "公司电子印章"
        assert signature["signer"] == "示例医疗科技有限公司" and signature["coverage"] == "the entire file"
    # signed last: the filing's pages (stamped seal, page numbers, bookmarks) are those signed
    filing = folder / f"{DEVICE}-filing.pdf"
    reader = PdfReader(filing)
    assert reader.outline[0].title == "消毒产品卫生安全评价报告" and "- 1 -" in reader.pages[0].extract_text()
    manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [e for e in manifest["disinfectant"] if e["path"].endswith("-filing.pdf")]
    assert entry["sha256"] == hashlib.sha256(filing.read_bytes()).hexdigest() and entry["unsigned_sha256"]
    # bytes appended after the signature are caught
    filing.write_bytes(filing.read_bytes() + b"\n% appended\n")
    tampered = run("verify", filing, "--trust", keys.ca_cert)
    assert tampered.exit_code == 1
