"""Ledger entry format: who and what wrote each entry, signed entries, old entries, the action registry."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from dossier import __version__
from dossier.control.ledger import ACTION_SPECS, FIELDS, ZERO_HASH, ActionSpec, FieldRule, Ledger
from dossier.control.ledger.signatures import check_entry_signatures
from dossier.signing.sign import ProfileSigner
from dossier.util.actor import current_actor
from tests.signing_support import approver_profile, author_profile, authority, write_keys


def _release(ledger: Ledger, doc: str = "QP-04", rev: str = "A", **extra):
    fields = dict(action="release", document=doc, revision=rev, timestamp="2026-11-01T08:00:00Z",
                  effective_date="2026-12-01", inputs_sha256="a" * 64,
                  outputs={f"releases/{doc}/{rev}/{doc}.pdf": "b" * 64}, prepared_by="张敏",
                  reviewed_by="李强", approved_by="王五", reason="首次发布", change_summary="首次发布")
    fields.update(extra)
    return ledger.append(**fields)


def _canonical(record: dict) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _v01_ledger(path: Path) -> list[dict]:
    """Two entries exactly as dossier 0.1 wrote them: fifteen fields, nulls where unused, no actor/tool."""
    records = []
    prev = ZERO_HASH
    for seq, (action, extra) in enumerate([
        ("release", dict(inputs_sha256="c" * 64, outputs={"releases/QP-04/A/QP-04.pdf": "d" * 64}, prepared_by="张敏",
                         reviewed_by="李强", approved_by="王建国", reason="首次发布", change_summary="首次发布",
                         effective_date="2026-12-01", timestamp="2026-11-10T02:00:00Z")),
        ("obsolete", dict(inputs_sha256=None, outputs={}, prepared_by=None, reviewed_by=None, approved_by=None,
                          reason="并入QM-01", change_summary=None, effective_date="2027-01-05",
                          timestamp="2027-01-05T02:00:00Z")),
    ], start=1):
        record = {"seq": seq, "action": action, "document": "QP-04", "revision": "A", **extra, "prev": prev}
        record["hash"] = hashlib.sha256(_canonical(record)).hexdigest()
        prev = record["hash"]
        records.append(record)
    path.write_bytes(b"".join(_canonical(r) + b"\n" for r in records))
    return records


def test_every_entry_records_the_actor_and_the_dossier_version(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_ACTOR", "刘洋")
    monkeypatch.setenv("GITHUB_ACTOR", "liuyang-ci")
    ledger = Ledger(tmp_path / "ledger.jsonl")
    entry = _release(ledger)
    stored = json.loads(ledger.path.read_text(encoding="utf-8"))
    assert stored["actor"] == "刘洋" and entry.actor == "刘洋"
    assert stored["tool"] == f"dossier {__version__}" and entry.tool == stored["tool"]
    assert ledger.verify() == []


def test_the_actor_falls_back_to_the_ci_user_then_git_then_the_login(tmp_path, monkeypatch):
    for name in ("DOSSIER_ACTOR", "GITHUB_ACTOR", "GITLAB_USER_LOGIN", "BUILD_REQUESTEDFOREMAIL",
                 "BITBUCKET_STEP_TRIGGERER_UUID", "GITEA_ACTOR", "BUILD_USER_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITLAB_USER_LOGIN", "zhaolei")
    assert current_actor(tmp_path) == "zhaolei (GitLab CI)"
    monkeypatch.delenv("GITLAB_USER_LOGIN")
    monkeypatch.setenv("HOME", str(tmp_path))  # no global git identity
    monkeypatch.setenv("USER", "operator7")
    monkeypatch.setenv("LOGNAME", "operator7")
    assert current_actor(tmp_path) == "operator7"
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.name", "Chen Jing"], check=True)
    assert current_actor(tmp_path) == "Chen Jing"


def test_a_ledger_written_by_version_0_1_still_verifies_and_grows(tmp_path):
    path = tmp_path / "ledger.jsonl"
    records = _v01_ledger(path)
    ledger = Ledger(path)
    assert ledger.verify() == []
    entries = ledger.entries()
    assert [e.record() for e in entries] == records
    assert entries[0].actor is None and entries[0].tool is None and entries[0].signature is None
    _release(ledger, rev="B", change_summary="第5章", approved_by="王建国")
    assert ledger.verify() == []
    assert path.read_bytes().startswith(b"".join(_canonical(r) + b"\n" for r in records))


def test_a_signed_entry_carries_the_approvers_signature_over_its_hash(tmp_path):
    keys = write_keys(tmp_path / "keys")
    signer = ProfileSigner(approver_profile(keys, tmp_path / "ws"))
    ledger = Ledger(tmp_path / "ledger.jsonl")
    entry = _release(ledger, signer=signer.fingerprint, sign=signer.sign_text)
    assert entry.signer == hashlib.sha256(authority().approver.cert.public_bytes(
        __import__("cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]).Encoding.DER)).hexdigest()
    assert base64.b64decode(entry.signature)[:1] == b"\x30"  # DER SEQUENCE
    assert ledger.verify() == []  # the signature is not part of the hash
    checks, unsigned = check_entry_signatures(ledger.entries(), [authority().ca.cert_asn1()], {}, require=True)
    assert unsigned == [] and [c.problems for c in checks] == [[]]
    assert checks[0].signer == "王五" and checks[0].approved_by == "王五"


def test_a_stripped_or_swapped_signature_is_reported(tmp_path):
    keys = write_keys(tmp_path / "keys")
    approver = ProfileSigner(approver_profile(keys, tmp_path / "ws"))
    author = ProfileSigner(author_profile(keys, tmp_path / "ws"))
    ledger = Ledger(tmp_path / "ledger.jsonl")
    _release(ledger, signer=approver.fingerprint, sign=approver.sign_text)
    record = json.loads(ledger.path.read_text(encoding="utf-8"))
    roots = [authority().ca.cert_asn1()]
    stripped = {k: v for k, v in record.items() if k != "signature"}
    ledger.path.write_text(json.dumps(stripped, ensure_ascii=False) + "\n", encoding="utf-8")
    checks, _ = check_entry_signatures(ledger.entries(), roots, {}, require=False)
    assert "carries no signature (removed?)" in checks[0].problems[0]
    swapped = {**record, "signature": author.sign_text(record["hash"])}
    ledger.path.write_text(json.dumps(swapped, ensure_ascii=False) + "\n", encoding="utf-8")
    checks, _ = check_entry_signatures(ledger.entries(), roots, {}, require=False)
    assert any("not the one the entry names" in p for p in checks[0].problems)
    assert any("signed by 张三, but the entry's approver is 王五" in p for p in checks[0].problems)
    other = {**record, "signature": approver.sign_text("0" * 64)}
    ledger.path.write_text(json.dumps(other, ensure_ascii=False) + "\n", encoding="utf-8")
    checks, _ = check_entry_signatures(ledger.entries(), roots, {}, require=False)
    assert checks[0].problems == ["the signature is over other content (digest mismatch)"]


def test_a_forged_rechained_entry_is_unsigned_and_reported_when_signatures_are_required(tmp_path):
    keys = write_keys(tmp_path / "keys")
    approver = ProfileSigner(approver_profile(keys, tmp_path / "ws"))
    ledger = Ledger(tmp_path / "ledger.jsonl")
    _release(ledger, signer=approver.fingerprint, sign=approver.sign_text)
    last = json.loads(ledger.path.read_text(encoding="utf-8"))
    forged = {k: v for k, v in last.items() if k not in ("signature", "signer", "hash")}
    forged.update(seq=2, revision="B", prev=last["hash"], change_summary="伪造", approved_by="王五")
    forged["hash"] = hashlib.sha256(_canonical(forged)).hexdigest()
    with ledger.path.open("ab") as handle:
        handle.write(_canonical(forged) + b"\n")
    assert ledger.verify() == []  # the chain alone cannot tell
    _, unsigned = check_entry_signatures(ledger.entries(), [authority().ca.cert_asn1()], {}, require=True)
    assert unsigned == ["entry 2 (release of QP-04 revision B) is not signed (require_signed_releases: true) and no later "
                        "signed entry vouches for it: it may have been appended without the approver's key"]


def test_a_new_action_is_a_row_of_the_registry(tmp_path, monkeypatch):
    monkeypatch.setitem(FIELDS, "copy", FieldRule(lambda v: type(v) is int and v > 0, "must be a copy number from 1", "发放号"))
    monkeypatch.setitem(ACTION_SPECS, "issue", ActionSpec(words="issue of a copy of", noun="copy issue",
                                                           required=("copy",), optional=("reason",), signed=False))
    ledger = Ledger(tmp_path / "ledger.jsonl")
    _release(ledger)
    entry = ledger.append(action="issue", document="QP-04", revision="A", timestamp="2026-12-01T01:00:00Z", copy=3)
    assert entry.copy == 3 and entry.describe() == "entry 2 (issue of a copy of QP-04 revision A)"
    assert set(json.loads(ledger.path.read_text(encoding="utf-8").splitlines()[1])) == {
        "seq", "action", "document", "revision", "timestamp", "prev", "hash", "copy", "actor", "tool"}
    assert ledger.verify() == []
    with pytest.raises(Exception, match="copy is required for a copy issue"):
        ledger.append(action="issue", document="QP-04", revision="A", timestamp="2026-12-01T01:00:00Z")
    with pytest.raises(Exception, match="copy must be a copy number from 1"):
        ledger.append(action="issue", document="QP-04", revision="A", timestamp="2026-12-01T01:00:00Z", copy=0)
