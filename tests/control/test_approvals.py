"""Issue 15 without rendering: who may sign, review and approve, and when (refusals happen before anything is written).

Device GMP 2025 Art. 43(2) (review and approval by authorised persons), Art. 46; 电子签名法 Art. 13.
"""

from __future__ import annotations

import functools
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from dossier.actions.init import init_workspace
from dossier.util.lock import workspace_lock
from tests.conftest import run_cli, set_signoffs, workspace_today
from tests.control_support import append_config, fake_release
from tests.pki import ThrowawayCA

PASS = "demo-pass"


@functools.cache
def _pki() -> tuple[ThrowawayCA, dict]:
    ca = ThrowawayCA("Approvals Test Root CA")
    return ca, {name: ca.issue(name) for name in ("编制人", "审核人", "王建国", "陆志远", "陈静", "Wang Jianguo")}


@pytest.fixture
def ws(tmp_path, monkeypatch) -> Path:
    """The starter workspace with 编制/审核/批准 profiles; keys of 编制人, 审核人 and 王建国 in the environment."""
    root = tmp_path / "ws"
    init_workspace(root, "示例医疗科技有限公司", workspace_today(Path(__file__).resolve().parents[2]))
    append_config(root, """signing:
  profiles:
    author: {role: 编制, pkcs12_env: T_AUTHOR_P12, passphrase_env: T_PASS}
    reviewer: {role: 审核, pkcs12_env: T_REVIEWER_P12, passphrase_env: T_PASS}
    approver: {role: 批准, pkcs12_env: T_APPROVER_P12, passphrase_env: T_PASS}
""")
    keys = tmp_path / "keys"
    keys.mkdir()
    _, people = _pki()
    for name, identity in people.items():
        identity.write_pkcs12(keys / f"{name}.p12", PASS)
    monkeypatch.setenv("T_PASS", PASS)
    monkeypatch.setenv("T_AUTHOR_P12", str(keys / "编制人.p12"))
    monkeypatch.setenv("T_REVIEWER_P12", str(keys / "审核人.p12"))
    monkeypatch.setenv("T_APPROVER_P12", str(keys / "王建国.p12"))
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _days(root: Path, n: int) -> str:
    return (date.fromisoformat(workspace_today(root)) + timedelta(days=n)).isoformat()


# --- signatures belong to the person named ---------------------------------------------------

def test_release_signed_with_another_persons_approver_key_is_refused(ws):
    """The issue's case: --approved-by 陆志远 with the 批准 key of 王建国 put 王建国's signature over 陆志远's name."""
    before = _snapshot(ws)
    result = run_cli("release", "QP-01", "--approved-by", "陆志远", "--reason", "首次发布", "--sign", "approver", "-w", str(ws))
    assert result.exit_code == 2
    assert ("error: QP-01.pdf: --sign approver: the key belongs to 王建国, but the document names 陆志远 for 批准; "
            "sign with 陆志远's key") in result.stderr
    assert _snapshot(ws) == before  # nothing rendered, archived, recorded or edited


def test_a_draft_is_not_signed_as_approved_nor_by_someone_else_as_author(ws):
    """README walk-through: a 草稿 prepared by 陈静 got 编制：张敏 and a 批准 signature over no approval date."""
    set_signoffs(ws / "content/QP-01.yaml", prepared_by=("陈静", workspace_today(ws)))
    before = _snapshot(ws)
    result = run_cli("build", str(ws), "--only", "QP-01", "--sign", "author", "--sign", "approver")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: QP-01.pdf: --sign author: the key belongs to 编制人, but the document names 陈静 for 编制; sign with 陈静's key",
        "error: QP-01.pdf: --sign approver: a 批准 signature needs a released revision; this one is not released "
        "(dossier release … --sign approver)",
    ]
    assert _snapshot(ws) == before


def test_the_people_list_binds_names_to_certificate_fingerprints(ws, monkeypatch, tmp_path):
    from dossier.pipeline.load import load_checked
    from dossier.pipeline.sign import load_signers, signer_problems

    _, people = _pki()
    wang = people["Wang Jianguo"].cert.fingerprint(__import__("cryptography").hazmat.primitives.hashes.SHA256()).hex()
    append_config(ws, f"  people:\n    王建国: {wang.upper()}\n")
    monkeypatch.setenv("T_APPROVER_P12", str(tmp_path / "keys" / "Wang Jianguo.p12"))
    workspace = load_checked(ws)
    (listed,) = load_signers(workspace, ["approver"])
    assert signer_problems(workspace, [listed], {"QP-01.pdf": {"批准": "王建国"}}) == []
    monkeypatch.setenv("T_APPROVER_P12", str(tmp_path / "keys" / "王建国.p12"))  # right common name, unlisted key
    (unlisted,) = load_signers(workspace, ["approver"])
    assert signer_problems(workspace, [unlisted], {"QP-01.pdf": {"批准": "王建国"}}) == [
        "error: QP-01.pdf: --sign approver: the key belongs to 王建国, but the document names 王建国 for 批准; sign with 王建国's key"]


def test_a_bad_people_list_is_reported_with_its_line(ws):
    append_config(ws, "  people:\n    王建国: not-a-fingerprint\n")
    result = run_cli("check", str(ws))
    assert result.exit_code == 2
    assert "signing.people.王建国: 'not-a-fingerprint' is not a SHA-256 certificate fingerprint" in result.stderr


# --- one approver of record ------------------------------------------------------------------

def test_release_refuses_an_approver_other_than_the_yamls(ws):
    set_signoffs(ws / "content/QP-01.yaml", approved_by=("陆志远", workspace_today(ws)))
    before = _snapshot(ws)
    result = run_cli("release", "QP-01", "--approved-by", "张三", "--reason", "首次发布", "-w", str(ws))
    assert result.exit_code == 2
    assert ("approved_by.name: the YAML names 陆志远 as approver but --approved-by names 张三; "
            "the approver of record must be one person") in result.stderr
    assert _snapshot(ws) == before


# --- review is per revision ------------------------------------------------------------------

def test_revise_clears_the_signoff_dates_and_the_approver(ws):
    set_signoffs(ws / "content/QP-01.yaml", approved_by=("王建国", workspace_today(ws)))  # as release writes it
    fake_release(ws, "QP-01", effective=workspace_today(ws))
    assert run_cli("revise", "QP-01", "--change", "增加电子发放", "-w", str(ws)).exit_code == 0
    text = (ws / "content/QP-01.yaml").read_text(encoding="utf-8")
    assert 'prepared_by: {name: "编制人"}' in text and 'reviewed_by: {name: "审核人"}' in text
    assert re.search(r"^approved_by:", text, re.MULTILINE) is None
    result = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "r", "-w", str(ws))
    assert result.exit_code == 2 and "prepared_by.date: required before release" in result.stderr


def test_check_refuses_a_review_dated_before_the_revision_was_started(ws):
    fake_release(ws, "QP-01", effective=workspace_today(ws), timestamp="2026-11-20T02:00:00Z")
    assert run_cli("revise", "QP-01", "--change", "增加电子发放", "-w", str(ws)).exit_code == 0
    set_signoffs(ws / "content/QP-01.yaml", prepared_by=("编制人", "2026-11-11"), reviewed_by=("审核人", "2026-11-12"))
    result = run_cli("check", str(ws))
    assert result.exit_code == 2
    assert result.stderr == ("error: content/QP-01.yaml:8: reviewed_by.date: 2026-11-12 is before revision B was started "
                             "(2026-11-20, when the revision it replaces was released)\n")


def test_check_refuses_a_reviewer_who_is_the_author(ws):
    set_signoffs(ws / "content/QP-01.yaml", reviewed_by=("编制人", workspace_today(ws)))
    result = run_cli("check", str(ws))
    assert result.exit_code == 2
    assert ("error: content/QP-01.yaml:8: reviewed_by.name: 编制人 prepared this revision and cannot also review it"
            in result.stderr)


def test_approval_authority_limits_reviewers_and_approvers(ws):
    append_config(ws, "approval_authority:\n  default: {review: [审核人], approve: [王建国]}\n"
                      "  record_form: {review: [陈静]}\n")
    result = run_cli("check", str(ws))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: content/QR-01-01.yaml:8: reviewed_by.name: 审核人 is not authorised to review record_form documents "
        "(approval_authority in dossier.yaml: 陈静)"]
    set_signoffs(ws / "content/QR-01-01.yaml", reviewed_by=("陈静", workspace_today(ws)))
    assert run_cli("check", str(ws)).exit_code == 0
    refused = run_cli("release", "QP-01", "--approved-by", "陆志远", "--reason", "r", "-w", str(ws))
    assert refused.exit_code == 2
    assert ("error: --approved-by: 陆志远 is not authorised to approve procedure documents "
            "(approval_authority in dossier.yaml: 王建国)") in refused.stderr


def test_obsolete_needs_an_authorised_approver_and_records_it(ws):
    append_config(ws, "approval_authority:\n  default: {approve: [王建国]}\n")
    fake_release(ws, "QP-01", effective=workspace_today(ws))
    missing = run_cli("obsolete", "QP-01", "--reason", "并入QP-02", "-w", str(ws))
    assert missing.exit_code == 2 and "--approved-by" in missing.stderr
    outside = run_cli("obsolete", "QP-01", "--reason", "并入QP-02", "--approved-by", "陆志远", "-w", str(ws))
    assert outside.exit_code == 2 and "陆志远 is not authorised to approve procedure documents" in outside.stderr
    done = run_cli("obsolete", "QP-01", "--reason", "并入QP-02", "--approved-by", "王建国", "-w", str(ws))
    assert done.exit_code == 0, done.output
    entry = json.loads((ws / "ledger.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert (entry["action"], entry["approved_by"]) == ("obsolete", "王建国")
    record = json.loads((ws / "releases/QP-01/withdrawn-A.json").read_text(encoding="utf-8"))
    assert record["approved_by"] == "王建国" and list(entry["outputs"]) == ["releases/QP-01/withdrawn-A.json"]
    assert run_cli("verify", str(ws)).exit_code == 0


# --- effective dates in order ----------------------------------------------------------------

def test_a_revision_cannot_take_effect_before_the_one_it_replaces(ws):
    fake_release(ws, "QP-01", effective=_days(ws, 15))
    assert run_cli("revise", "QP-01", "--change", "增加电子发放", "-w", str(ws)).exit_code == 0
    today = workspace_today(ws)
    set_signoffs(ws / "content/QP-01.yaml", prepared_by=("编制人", today), reviewed_by=("审核人", today))
    before = _snapshot(ws)
    result = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "r", "--effective", _days(ws, 5), "-w", str(ws))
    assert result.exit_code == 2
    assert (f"error: --effective {_days(ws, 5)} is before revision A takes effect ({_days(ws, 15)}): "
            "a revision cannot take effect before the one it replaces") in result.stderr
    assert _snapshot(ws) == before


# --- signed releases required ----------------------------------------------------------------

def test_require_signed_releases_refuses_an_unsigned_release_and_withdrawal(ws):
    append_config(ws, "require_signed_releases: true\n")
    before = _snapshot(ws)
    result = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "首次发布", "-w", str(ws))
    assert result.exit_code == 2
    assert "require_signed_releases is true in dossier.yaml: sign the release with the approver's profile" in result.stderr
    assert _snapshot(ws) == before
    fake_release(ws, "QP-01", effective=workspace_today(ws))
    withdrawn = run_cli("obsolete", "QP-01", "--reason", "r", "--approved-by", "王建国", "-w", str(ws))
    assert withdrawn.exit_code == 2 and "sign the withdrawal with the approver's profile" in withdrawn.stderr
    signed = run_cli("obsolete", "QP-01", "--reason", "r", "--approved-by", "王建国", "--sign", "approver", "-w", str(ws))
    assert signed.exit_code == 0, signed.output
    entry = json.loads((ws / "ledger.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["signature"] and len(entry["signer"]) == 64


# --- one writer at a time --------------------------------------------------------------------

@pytest.mark.parametrize("command", [
    ("release", "QP-01", "--approved-by", "王建国", "--reason", "首次发布"),
    ("revise", "QP-01", "--change", "x"),
    ("obsolete", "QP-01", "--reason", "r", "--approved-by", "王建国"),
])
def test_a_second_ledger_writer_fails_at_once_and_touches_nothing(ws, command):
    fake_release(ws, "QR-01-01", effective=workspace_today(ws))
    before = _snapshot(ws)
    with workspace_lock(ws, "release QP-01"):
        result = run_cli(*command, "-w", str(ws))
    assert result.exit_code == 2
    assert "another dossier command is changing the workspace" in result.stderr and "nothing was changed" in result.stderr
    assert _snapshot(ws) == before
