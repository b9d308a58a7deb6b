"""verify: required signing roles of released PDFs (issue 14 #19); names what it checked and warns about what it
did not (#20). PDFs are made and signed without LibreOffice."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import cli
from dossier.control.archive import archive_outputs
from dossier.control.ledger import Ledger
from tests.hostile_support import new_workspace
from tests.signing_support import blank_signed_twice

SIGNING = """signing:
  profiles:
    author: {role: 编制, pkcs12_env: T_AUTHOR_P12, passphrase_env: T_AUTHOR_PASS}
    approver: {role: 批准, pkcs12_env: T_APPROVER_P12, passphrase_env: T_APPROVER_PASS}
"""


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture()
def released(tmp_path, tmp_path_factory, monkeypatch):
    """A workspace whose QP-04 revision A was released with a PDF signed by 编制 and 批准; the cwd is the workspace."""
    once, twice, keys = blank_signed_twice(str(tmp_path_factory.getbasetemp() / "verify-ws"))
    root = new_workspace(tmp_path / "ws")
    monkeypatch.chdir(root)

    def release(signed: bytes, required: str = "", ledger: str = "ledger.jsonl") -> Path:
        config = root / "dossier.yaml"
        config.write_text(config.read_text(encoding="utf-8") + SIGNING + required, encoding="utf-8")
        unsigned = signed[:signed.index(b"%%EOF") + 6]  # the document before its first signature
        outputs = archive_outputs(root, "QP-04", "A", {"QP-04.pdf": unsigned, "QP-04.signed.pdf": signed})
        Ledger(root / ledger).append(
            action="release", document="QP-04", revision="A", timestamp="2025-03-01T08:30:00Z",
            effective_date="2025-03-01", inputs_sha256="0" * 64, outputs=outputs, prepared_by="张三",
            reviewed_by="李四", approved_by="王五", reason="首次发布", change_summary="首次发布")
        return root / "releases" / "QP-04" / "A" / "QP-04.signed.pdf"

    return root, once, twice, keys, release


def test_a_release_cut_back_to_its_first_signature_fails_when_roles_are_required(released) -> None:
    root, once, twice, keys, release = released
    assert twice.startswith(once)  # cutting the file after the first signature gives exactly this
    archived = release(once, "  required_roles: [编制, 批准]\n")
    result = run("verify", ".", "--trust", keys.ca_cert)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "error: releases/QP-04/A/QP-04.signed.pdf: no signature for 批准 (signing.required_roles of dossier.yaml)"]
    direct = run("verify", archived, "--trust", keys.ca_cert)  # given directly, the workspace's rule holds too
    assert direct.exit_code == 1
    assert direct.stderr.splitlines() == [f"error: {archived}: no signature for 批准 (signing.required_roles of ws/dossier.yaml)"]


def test_with_every_required_signature_the_release_verifies(released) -> None:
    root, _, twice, keys, release = released
    release(twice, "  required_roles: [编制, 批准]\n")
    result = run("verify", ".", "--trust", keys.ca_cert)
    assert result.exit_code == 0, result.output
    assert ".: intact: checked ledger ledger.jsonl: 1 entry, end checked against ledger.head; archive releases/: 2 files, 1 signed PDF " \
           "(required roles: 编制、批准)" in result.stdout.splitlines()


def test_required_roles_on_the_command_line_for_a_copy_outside_any_workspace(released, tmp_path) -> None:
    _, once, twice, keys, _ = released
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(once)
    result = run("verify", copy, "--trust", keys.ca_cert, "--require-role", "编制", "--require-role", "批准")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {copy}: no signature for 批准 (--require-role)"]
    copy.write_bytes(twice)
    assert run("verify", copy, "--trust", keys.ca_cert, "--require-role", "批准").exit_code == 0


def test_required_roles_setting_is_checked(released) -> None:
    root, *_ = released
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + SIGNING + "  required_roles: 批准\n", encoding="utf-8")
    result = run("check", ".")
    assert result.exit_code == 2
    assert any("signing.required_roles: must list the roles a released document is signed in" in line
               for line in result.stderr.splitlines())


def test_verify_names_what_it_checked_and_warns_about_the_default_ledger_and_archive(released) -> None:
    root, _, twice, keys, release = released
    release(twice)
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "paths: {ledger: other.jsonl, releases: archive}\n", encoding="utf-8")
    result = run("verify", ".", "--trust", keys.ca_cert)
    assert result.exit_code == 0, result.output  # an empty ledger and an empty archive are intact …
    assert result.stdout.splitlines() == [".: intact: checked ledger other.jsonl: none yet; archive archive/: 0 files, 0 signed PDFs"]
    assert result.stderr.splitlines() == [  # … but what they hide is named
        "warning: ledger.jsonl exists but was not checked: dossier.yaml names other.jsonl as the ledger (paths.ledger)",
        "warning: releases/ exists but was not checked: dossier.yaml names archive as the archive (paths.releases)"]
    report = json.loads(run("verify", ".", "--trust", keys.ca_cert, "--json").stdout)
    assert report["workspaces"][0]["checked"] == ["ledger other.jsonl: none yet", "archive archive/: 0 files, 0 signed PDFs"]
    assert len(report["workspaces"][0]["warnings"]) == 2


def test_a_moved_ledger_leaves_the_archive_unrecorded(released) -> None:
    root, _, twice, keys, release = released
    release(twice)
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "paths: {ledger: other.jsonl}\n", encoding="utf-8")
    result = run("verify", ".", "--trust", keys.ca_cert)
    assert result.exit_code == 1
    assert "error: releases/QP-04/A: archived, but no entry in other.jsonl records it (entry removed?)" in result.stderr.splitlines()
    assert "warning: ledger.jsonl exists but was not checked: dossier.yaml names other.jsonl as the ledger (paths.ledger)" \
        in result.stderr.splitlines()
    assert hashlib.sha256((root / "releases/QP-04/A/QP-04.signed.pdf").read_bytes()).hexdigest() == hashlib.sha256(twice).hexdigest()
