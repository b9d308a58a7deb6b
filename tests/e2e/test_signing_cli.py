"""`dossier sign` and `dossier verify` end to end: exit codes, one line per problem, JSON."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from dossier.cli import cli
from dossier.control.archive import archive_outputs
from dossier.control.ledger import Ledger
from tests.signing_support import APPROVER_PASS, AUTHOR_PASS, approval_pdf, signed_twice, write_keys

CONFIG = """\
company: {{name: 示例医疗科技有限公司}}
signing:
  profiles:
    author: {{role: 编制, pkcs12_env: T_AUTHOR_P12, passphrase_env: T_AUTHOR_PASS}}
    approver:
      role: 批准
      key_env: T_APPROVER_KEY
      cert_env: T_APPROVER_CERT
      passphrase_file: {approver_pass}
    seal: {{role: 公司电子印章, pkcs12_file: {seal_p12}, passphrase_file: {seal_pass},
            position: first-page}}
"""


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def setup(tmp_path, monkeypatch):
    """A workspace with signing profiles, key material outside it, an unsigned PDF in it."""
    keys = write_keys(tmp_path / "secrets")
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "dossier.yaml").write_text(CONFIG.format(
        approver_pass=keys.approver_pass, seal_p12=keys.seal_p12, seal_pass=keys.seal_pass),
        encoding="utf-8")
    monkeypatch.setenv("T_AUTHOR_P12", str(keys.author_p12))
    monkeypatch.setenv("T_AUTHOR_PASS", AUTHOR_PASS)
    monkeypatch.setenv("T_APPROVER_KEY", str(keys.approver_key))
    monkeypatch.setenv("T_APPROVER_CERT", str(keys.approver_cert))
    pdf = workspace / "build" / "QP-04.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(approval_pdf())
    return keys, workspace, pdf


def test_sign_with_two_profiles_then_verify(setup):
    keys, workspace, pdf = setup
    first = run("sign", pdf, "--profile", "author", "--workspace", workspace)
    assert first.exit_code == 0, first.output
    unsigned_sha = hashlib.sha256(approval_pdf()).hexdigest()
    assert first.stdout == (f"signed {pdf} as 编制 (张三): SHA-256 unsigned {unsigned_sha}, "
                            f"signed {hashlib.sha256(pdf.read_bytes()).hexdigest()}\n")
    # the workspace has no document QP-04: nobody named to check the signer against, and it says so
    assert first.stderr == (f"warning: {pdf}: no document of this workspace is named QP-04: "
                            "the 编制 signer is not checked against a named person\n")
    second = run("sign", pdf, "--profile", "approver", "--workspace", workspace)
    assert second.exit_code == 0, second.output
    assert "as 批准 (王五)" in second.output

    verified = run("verify", pdf, "--trust", keys.ca_cert)
    assert verified.exit_code == 0, verified.output
    lines = verified.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{pdf}: signature author (编制, 张三): ok, signed ")
    assert lines[1].endswith(": signature approver (批准, 王五): ok, signed "
                             + lines[1].split("signed ")[1])
    assert lines[1].endswith("covers the entire file")

    as_json = run("verify", pdf, "--trust", keys.ca_cert, "--json")
    assert as_json.exit_code == 0
    report = json.loads(as_json.output)
    assert report["ok"] is True and report["workspaces"] == []
    (entry,) = report["files"]
    assert [(s["field"], s["role"], s["signer"], s["intact"], s["trusted"], s["ok"])
            for s in entry["signatures"]] == [("author", "编制", "张三", True, True, True),
                                              ("approver", "批准", "王五", True, True, True)]


def test_verify_untrusted_exits_1_naming_file_and_signature(setup, tmp_path):
    keys, _, _ = setup
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(signed_twice())
    result = run("verify", signed)
    assert result.exit_code == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert errors[0].startswith(f"{signed}: signature author (编制, 张三): signer 张三 is not trusted")
    assert errors[1].startswith(f"{signed}: signature approver (批准, 王五): signer 王五 is not trusted")
    as_json = run("verify", signed, "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["ok"] is False
    assert run("verify", signed, "--trust", keys.ca_cert).exit_code == 0


def test_tampered_file_exits_1(setup, tmp_path):
    keys, _, _ = setup
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(signed_twice() + b"\n% appended after signing\n")
    result = run("verify", signed, "--trust", keys.ca_cert)
    assert result.exit_code == 1
    assert result.stderr == (f"{signed}: signature approver (批准, 王五): bytes were appended "
                             "after signing (not covered by any signature)\n")


def test_wrong_passphrase_is_one_line_exit_2_and_leaves_the_file(setup, monkeypatch):
    _, workspace, pdf = setup
    monkeypatch.setenv("T_AUTHOR_PASS", "not-the-passphrase")
    result = run("sign", pdf, "--profile", "author", "--workspace", workspace)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"signing profile author: cannot open PKCS#12 key {workspace.parent}/secrets/author.p12 "
        "(from $T_AUTHOR_P12): wrong passphrase, or not a PKCS#12 file"]
    assert "not-the-passphrase" not in result.output
    assert pdf.read_bytes() == approval_pdf()


def test_missing_key_is_one_line_exit_2(setup, monkeypatch):
    _, workspace, pdf = setup
    monkeypatch.delenv("T_APPROVER_KEY")
    result = run("sign", pdf, "--profile", "approver", "--workspace", workspace)
    assert result.exit_code == 2
    assert result.stderr == ("signing profile approver: environment variable T_APPROVER_KEY "
                             "(the key) is not set\n")


def test_key_and_passphrase_from_command_line_options(setup, monkeypatch):
    keys, workspace, pdf = setup
    monkeypatch.delenv("T_AUTHOR_P12")
    monkeypatch.delenv("T_AUTHOR_PASS")
    monkeypatch.setenv("OTHER_PASS", AUTHOR_PASS)
    result = run("sign", pdf, "--profile", "author", "--workspace", workspace,
                 "--key-file", keys.author_p12, "--passphrase-env", "OTHER_PASS")
    assert result.exit_code == 0, result.output
    # a PEM key given on the command line: its format is recognised from the content
    result = run("sign", pdf, "--profile", "approver", "--workspace", workspace,
                 "--key-file", keys.approver_key, "--cert-file", keys.approver_cert,
                 "--passphrase-file", keys.approver_pass)
    assert result.exit_code == 0, result.output
    assert run("verify", pdf, "--trust", keys.ca_cert).exit_code == 0
    assert APPROVER_PASS not in result.output


def test_unknown_profile_and_bad_config_exit_2(setup):
    _, workspace, pdf = setup
    result = run("sign", pdf, "--profile", "nobody", "--workspace", workspace)
    assert result.exit_code == 2
    assert result.stderr == ("unknown signing profile 'nobody' "
                             "(profiles: approver, author, seal)\n")
    (workspace / "dossier.yaml").write_text(
        "company: {name: X}\nsigning:\n  profiles:\n    author: {pkcs12_env: A}\n",
        encoding="utf-8")
    result = run("sign", pdf, "--profile", "author", "--workspace", workspace)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: dossier.yaml:4: signing.profiles.author.role: required")


def _release(workspace: Path, data: bytes) -> Path:
    """Archive `data` as QP-04 revision A and record it in the ledger, like `release` does."""
    outputs = archive_outputs(workspace, "QP-04", "A", {"QP-04.pdf": data})
    Ledger(workspace / "ledger.jsonl").append(
        action="release", document="QP-04", revision="A", timestamp="2025-03-01T08:30:00Z",
        effective_date="2025-03-01", inputs_sha256="0" * 64, outputs=outputs,
        prepared_by="张三", reviewed_by="李四", approved_by="王五", reason="首次发布",
        change_summary="首次发布")
    return workspace / next(iter(outputs))


def test_verify_workspace_checks_ledger_archive_and_released_signatures(setup):
    keys, workspace, _ = setup
    archived = _release(workspace, signed_twice())
    result = run("verify", workspace, "--trust", keys.ca_cert)
    assert result.exit_code == 0, result.output
    assert f"{workspace}/releases/QP-04/A/QP-04.pdf: signature author (编制, 张三): ok" \
        in result.output
    assert f"{workspace}: ledger and archive intact" in result.output

    archived.chmod(0o644)
    archived.write_bytes(signed_twice() + b"\n% edited after release\n")
    result = run("verify", workspace, "--trust", keys.ca_cert)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{workspace}/releases/QP-04/A/QP-04.pdf: SHA-256 differs from ledger entry 1",
        f"{workspace}/releases/QP-04/A/QP-04.pdf: signature approver (批准, 王五): bytes were "
        "appended after signing (not covered by any signature)"]
    report = json.loads(run("verify", workspace, "--trust", keys.ca_cert, "--json").stdout)
    assert report["ok"] is False
    assert report["workspaces"][0]["problems"] == [
        f"{workspace}/releases/QP-04/A/QP-04.pdf: SHA-256 differs from ledger entry 1"]


def test_verify_a_folder_that_is_not_a_workspace_exits_2(tmp_path):
    result = run("verify", tmp_path)
    assert result.exit_code == 2
    assert "not a dossier workspace" in result.stderr


def test_example_procedure_signed_in_its_approval_block_and_verified(setup, example_build):
    """The real template's approval block (编制/审核/批准 over 签名) takes both signatures."""
    keys, workspace, pdf = setup
    pdf.write_bytes((example_build / "build" / "QP-04.pdf").read_bytes())
    for name in ("author", "approver"):
        assert run("sign", pdf, "--profile", name, "--workspace", workspace).exit_code == 0
    assert run("verify", pdf, "--trust", keys.ca_cert).exit_code == 0
    reader = PdfReader(pdf)
    labels: dict[str, tuple[float, float]] = {}

    def visit(text, _cm, tm, _font, _size):
        labels.setdefault(text.strip(), (tm[4], tm[5]))

    reader.pages[0].extract_text(visitor_text=visit)
    widgets = {str(a.get_object()["/T"]): [float(v) for v in a.get_object()["/Rect"]]
               for a in reader.pages[0]["/Annots"]}
    for name, role in (("author", "编制"), ("approver", "批准")):
        x1, y1, x2, y2 = widgets[name]
        label_x, label_y = labels[role]
        assert x1 <= label_x < x2 and y2 < label_y
        assert y1 < labels["签名"][1] < y2  # the 签名 row
