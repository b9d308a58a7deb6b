"""Issue 15 end to end: signed releases A and B, the approver of record everywhere, verify with
the approver's key, forged and removed ledger entries, configuration changes, interrupted and
concurrent releases (issue 14 #12, #13, #17)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import REPO, copy_workspace, pdf_text, run_cli, set_signoffs, workspace_today
from tests.control_support import append_config

SIGN = ("--sign", "author", "--sign", "reviewer", "--sign", "approver")


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict:
    """The README's throwaway PKI (scripts/demo-pki.py): a key per person the example names, env.sh."""
    folder = tmp_path_factory.mktemp("keys") / "dossier-keys"
    made = subprocess.run([sys.executable, str(REPO / "scripts/demo-pki.py"), str(folder)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    env = dict(line.removeprefix("export ").split("=", 1) for line in (folder / "env.sh").read_text(encoding="utf-8").splitlines())
    assert env["DOSSIER_APPROVER_P12"].endswith("王建国.p12") and env["DOSSIER_AUTHOR_P12"].endswith("张敏.p12")
    env["DOSSIER_ACTOR"] = "文控员 刘洋"
    return {"root": str(folder / "root-ca.pem"), "env": env, "folder": folder}


@pytest.fixture(scope="module")
def flow(tmp_path_factory, keys) -> Path:
    """The example with require_signed_releases: QP-04 released as A and as B, each signed by
    张敏 (编制), 李强 (审核) and 王建国 (批准), the ledger entries signed with 王建国's key."""
    saved = dict(os.environ)
    os.environ.update(keys["env"])
    try:
        root = copy_workspace(tmp_path_factory.mktemp("flow") / "ws")
        append_config(root, "require_signed_releases: true\n")
        today = workspace_today(root)
        first = run_cli("release", "QP-04", "--reason", "首次发布", "--effective", today, *SIGN, "-w", str(root))
        assert first.exit_code == 0, first.output
        assert run_cli("revise", "QP-04", "--change", "增加电子发放", "-w", str(root)).exit_code == 0
        body = root / "content/QP-04.md"
        body.write_text(body.read_text(encoding="utf-8") + "\n文件可以电子方式发放。\n", encoding="utf-8")
        set_signoffs(root / "content/QP-04.yaml", prepared_by=("张敏", today), reviewed_by=("李强", today))
        unnamed = run_cli("release", "QP-04", "--reason", "CAPA-2026-017", *SIGN, "-w", str(root))
        assert unnamed.exit_code == 2 and ("error: content/QP-04.yaml:1: approved_by.name: no approver: name them here "
                                           "or with --approved-by NAME") in unnamed.stderr
        second = run_cli("release", "QP-04", "--approved-by", "王建国", "--reason", "CAPA-2026-017", *SIGN, "-w", str(root))
        assert second.exit_code == 0, second.output
        return root
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def copy(flow, tmp_path, keys, monkeypatch) -> Path:
    for name, value in keys["env"].items():
        monkeypatch.setenv(name, value)
    target = tmp_path / "ws"
    shutil.copytree(flow, target, symlinks=True)
    return target


def _entries(root: Path) -> list[dict]:
    return [json.loads(line) for line in (root / "ledger.jsonl").read_text(encoding="utf-8").splitlines()]


def test_the_approver_of_record_is_one_person_in_yaml_ledger_archive_and_pdf(flow):
    """`--approved-by` once said 张三 while the YAML said 陆志远: now all four agree."""
    today = workspace_today(flow)
    working = yaml.safe_load((flow / "content/QP-04.yaml").read_text(encoding="utf-8"))["approved_by"]
    archived = yaml.safe_load((flow / "releases/QP-04/B/QP-04.yaml").read_text(encoding="utf-8"))["approved_by"]
    entry = _entries(flow)[-1]
    text = pdf_text(flow / "releases/QP-04/B/QP-04.pdf", 1, 1)
    approval_row = next(line for line in text.splitlines() if "张敏" in line and "李强" in line)
    assert working == archived == {"name": "王建国", "date": today}
    assert entry["approved_by"] == "王建国" and entry["revision"] == "B"
    assert approval_row.split()[-1] == "王建国"  # 签名 row: 张敏 李强 王建国
    history = _flat(pdf_text(flow / "releases/QP-04/B/QP-04.pdf"))
    assert history.index("A") < history.index("增加电子发放")  # A's row, then B's


def test_release_records_the_approval_date_the_yaml_states(flow):
    """User test: release replaced approved_by.date (2026-11-20 in QP-04.yaml) with the day it ran, silently.
    Revision A keeps the YAML's date in the ledger, the archived YAML and the PDF; B had none: today, written."""
    first, second = (e for e in _entries(flow) if e["action"] == "release")
    assert (first["revision"], first["approved_on"]) == ("A", "2026-11-20")
    assert second["approved_on"] == workspace_today(flow)
    archived = yaml.safe_load((flow / "releases/QP-04/A/QP-04.yaml").read_text(encoding="utf-8"))["approved_by"]
    assert archived == {"name": "王建国", "date": "2026-11-20"}
    assert "2026-11-20" in pdf_text(flow / "releases/QP-04/A/QP-04.pdf", 1, 1)


def test_each_entry_records_actor_version_and_the_approvers_signature(flow):
    for entry in _entries(flow):
        assert entry["actor"] == "文控员 刘洋" and entry["tool"].startswith("dossier ")
        assert len(entry["signer"]) == 64 and entry["signature"]


def test_verify_reports_signer_role_and_named_person_and_is_clean(flow, keys):
    result = run_cli("verify", str(flow), "--trust", keys["root"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    signed_b = [line for line in lines if line.startswith(f"{flow}/releases/QP-04/B/QP-04.signed.pdf")]
    assert [line.split(": ", 2)[1] for line in signed_b] == [
        "signature author (编制, 张敏)", "signature reviewer (审核, 李强)", "signature approver (批准, 王建国)"]
    assert all("ok, document names" in line for line in signed_b)
    assert ", document names 王建国 for 批准, signed " in signed_b[2] and "+08:00" in signed_b[2]
    assert (f"{flow}: ledger entry 2 (release of QP-04 revision B): signed by 王建国 (approver of record 王建国), ok"
            in result.stdout)
    assert lines[-1].startswith(f"{flow}: intact: checked ledger {flow}/ledger.jsonl: 2 entries (2 signed), end checked against ledger.head; ")


def test_signature_times_are_shown_in_beijing_time(flow):
    reader = PdfReader(flow / "releases/QP-04/B/QP-04.signed.pdf")
    fields = {f["/T"]: f for f in (a.get_object() for a in reader.pages[0]["/Annots"]) if f.get("/FT") == "/Sig"}
    moment = str(fields["approver"]["/V"]["/M"])
    assert moment.endswith("+08'00'")  # the signing time the appearance shows, in the workspace's zone


def test_a_signature_by_someone_else_than_the_named_person_fails_verify(copy, keys, monkeypatch):
    monkeypatch.setenv("DOSSIER_APPROVER_P12", str(keys["folder"] / "陈静.p12"))
    pdf = copy / "build/QP-04.pdf"
    pdf.write_bytes((copy / "releases/QP-04/B/QP-04.pdf").read_bytes())
    refused = run_cli("sign", str(pdf), "--profile", "approver", "--workspace", str(copy))
    assert refused.exit_code == 2
    assert "the key belongs to 陈静, but the document names 王建国 for 批准" in refused.stderr
    from dossier.errors import Problems
    from dossier.signing.profiles import load_profiles
    from dossier.signing.sign import sign_file
    from dossier.workspace.load import load_config

    config = load_config(copy.resolve(), Problems())
    sign_file(pdf, load_profiles(config.raw, Problems(), copy.resolve())["approver"])  # around the check
    result = run_cli("verify", str(pdf), "--trust", keys["root"])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {pdf}: signature approver (批准, 陈静): signed by 陈静, but the document names 王建国 "
                             "for 批准\n")


def test_a_forged_rechained_entry_is_named_by_verify(copy, keys):
    entries = _entries(copy)
    forged = {k: v for k, v in entries[-1].items() if k not in ("signature", "signer", "hash")}
    forged.update(seq=3, revision="C", prev=entries[-1]["hash"], change_summary="伪造的修订", reason="伪造")
    body = json.dumps(forged, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    forged["hash"] = __import__("hashlib").sha256(body.encode()).hexdigest()
    with (copy / "ledger.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(forged, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n")
    result = run_cli("verify", str(copy), "--trust", keys["root"])
    assert result.exit_code == 1
    assert (f"{copy}/ledger.jsonl: entry 3 (release of QP-04 revision C) is not signed (require_signed_releases: true) "
            "and no later signed entry vouches for it") in result.stderr


def test_a_removed_withdrawal_is_detected_whatever_evidence_remains(copy, keys):
    withdrawn = run_cli("obsolete", "QP-04", "--reason", "并入QP-02", "--approved-by", "王建国", "--sign", "approver", "-w", str(copy))
    assert withdrawn.exit_code == 0, withdrawn.output
    head = json.loads((copy / "ledger.head").read_text(encoding="utf-8"))
    assert head["seq"] == 3
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    subprocess.run(["git", "-C", str(copy), "add", "ledger.jsonl", "ledger.head"], check=True)
    subprocess.run(["git", "-C", str(copy), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "ledger"], check=True)
    ledger = copy / "ledger.jsonl"
    ledger.write_text("".join(ledger.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    status = json.loads(run_cli("status", "QP-04", "--json", "-w", str(copy)).output)
    assert status["state"] == "effective"  # the ledger alone now says QP-04 is in force …
    result = run_cli("verify", str(copy), "--trust", keys["root"])
    assert result.exit_code == 1
    problems = result.stderr
    assert f"{copy}/releases/QP-04/withdrawn-B.json: a withdrawal record, but ledger.jsonl records no withdrawal" in problems
    assert "ledger.head names entry 3 with hash" in problems and "entries were removed from its end" in problems
    assert "ledger.head as committed (git HEAD) names entry 3" in problems
    # the careful remover also rewrites the head file and deletes the withdrawal record: the committed head remains
    (copy / "ledger.head").write_text(json.dumps({"seq": 2, "hash": _entries(copy)[-1]["hash"]}), encoding="utf-8")
    record = copy / "releases/QP-04/withdrawn-B.json"
    record.chmod(0o644)
    record.unlink()
    again = run_cli("verify", str(copy), "--trust", keys["root"])
    assert again.exit_code == 1 and again.stderr.count("\n") == 1
    assert "ledger.head as committed (git HEAD) names entry 3" in again.stderr
    shutil.rmtree(copy / ".git")  # … and without version control, only a head kept elsewhere tells
    assert run_cli("verify", str(copy), "--trust", keys["root"]).exit_code == 0
    kept = run_cli("verify", str(copy), "--trust", keys["root"], "--expect-head", head["hash"][:16])
    assert kept.exit_code == 1
    assert f"--expect-head {head['hash'][:16]} names an entry with hash" in kept.stderr
    bad = run_cli("verify", str(copy), "--expect-head", "xyz")
    assert bad.exit_code == 2 and "--expect-head xyz: expected the hash of a ledger entry" in bad.stderr


def test_configuration_and_template_changes_do_not_rewrite_released_revisions(copy):
    config = copy / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("江苏省苏州市工业园区示例路88号", "上海市浦东新区示例路1号"),
                      encoding="utf-8")
    (copy / "templates").mkdir()
    with zipfile.ZipFile(REPO / "dossier/word/templates/procedure.docx") as source, \
            zipfile.ZipFile(copy / "templates/procedure.docx", "w") as target:  # the company's own procedure template
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.comment = "公司模板 2027".encode()
    assert run_cli("check", str(copy)).exit_code == 0
    draft = run_cli("build", str(copy), "--only", "QR-12-01")  # an unrelated draft previews the new settings
    assert draft.exit_code == 0, draft.output
    assert "built QR-12-01" in draft.stdout and "草稿" in pdf_text(copy / "build/QR-12-01.pdf")
    released = run_cli("build", str(copy), "--only", "QP-04")
    assert released.exit_code == 0, released.output
    for suffix in ("docx", "pdf"):  # delivered from the archive, not re-rendered with today's settings
        assert (copy / f"build/QP-04.{suffix}").read_bytes() == (copy / f"releases/QP-04/B/QP-04.{suffix}").read_bytes()
    status = run_cli("status", "-w", str(copy))
    assert ("note: QP-04 revision B predates a change of company, template: it applies at the next revision"
            in status.stdout)
    body = copy / "content/QP-04.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n再加一句。\n", encoding="utf-8")
    yaml_file = copy / "content/QP-04.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("title: 文件控制程序", "title: 文件管理程序"), encoding="utf-8")
    changed = run_cli("check", str(copy))
    assert changed.exit_code == 2
    errors = [line for line in changed.stderr.splitlines() if not line.startswith("warning: content/disinfectant/")]
    assert errors == ["error: content/QP-04.yaml:4: revision: QP-04 changed since release B (YAML field title; "
                      "body content/QP-04.md); start revision C (dossier revise QP-04)"]


def test_an_archived_file_changed_is_not_delivered(copy):
    pdf = copy / "releases/QP-04/B/QP-04.pdf"
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"%")
    result = run_cli("build", str(copy), "--only", "QP-04", "--force")
    assert result.exit_code == 1
    assert "releases/QP-04/B/QP-04.pdf: SHA-256 differs from entry 2 (release of QP-04 revision B)" in result.stderr


# --- interrupted and concurrent releases (issue 14 #12, #13) ----------------------------------

KILL = """
import importlib, os, sys
owner, _, name = {attribute!r}.rpartition(".")
target = importlib.import_module({module!r})
for part in filter(None, owner.split(".")):
    target = getattr(target, part)
setattr(target, name, lambda *args, **kwargs: os.kill(os.getpid(), 9))
from dossier.cli import cli
cli(sys.argv[1:], prog_name="dossier")
"""


def _dossier(root: Path, *args: str, kill: tuple[str, str] | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    code = KILL.format(module=kill[0], attribute=kill[1]) if kill else "from dossier.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=root, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def _li_qiang(keys: dict) -> dict:
    """The environment with 李强's key as the approver's (he approves record forms)."""
    return {**keys["env"], "DOSSIER_APPROVER_P12": str(keys["folder"] / "李强.p12")}


def test_a_release_killed_before_its_ledger_entry_is_undone_on_the_next_run(copy, keys):
    release = ("release", "QR-12-01", "--approved-by", "李强", "--reason", "首次发布", "--sign", "approver",
               "--effective", workspace_today(copy))
    killed = _dossier(copy, *release, kill=("dossier.control.ledger.store", "Ledger.append"), env=_li_qiang(keys))
    assert killed.returncode == -9
    assert (copy / "releases/QR-12-01/.A.staging").is_dir() and len(_entries(copy)) == 2
    again = _dossier(copy, *release, env=_li_qiang(keys))
    assert again.returncode == 0, again.stderr
    assert ("warning: removed releases/QR-12-01/.A.staging: an interrupted run staged it but never recorded it "
            "in the ledger") in again.stderr
    assert run_cli("verify", str(copy), "--trust", keys["root"]).exit_code == 0


def test_a_release_killed_after_its_ledger_entry_is_finished_on_the_next_run(copy, keys):
    release = ("release", "QR-12-01", "--approved-by", "李强", "--reason", "首次发布", "--sign", "approver",
               "--effective", workspace_today(copy))
    killed = _dossier(copy, *release, kill=("dossier.actions.release", "commit_staged"), env=_li_qiang(keys))
    assert killed.returncode == -9 and len(_entries(copy)) == 3
    found = run_cli("verify", str(copy), "--trust", keys["root"])
    assert found.exit_code == 1
    assert ("releases/QR-12-01/.A.staging: an interrupted release or withdrawal left this staged; the next dossier "
            "release, revise or obsolete finishes or removes it") in found.stderr
    finished = run_cli("revise", "QP-04", "--change", "下一版", "-w", str(copy))
    assert finished.exit_code == 0, finished.output
    assert ("warning: finished an interrupted run: moved releases/QR-12-01/.A.staging into place as "
            "releases/QR-12-01/A (recorded in the ledger)") in finished.stderr
    assert run_cli("verify", str(copy), "--trust", keys["root"]).exit_code == 0


def test_two_releases_at_once_one_wins_and_the_other_touches_nothing(copy, keys):
    release = ("release", "QR-12-01", "--reason", "首次发布", "--sign", "approver", "--effective", workspace_today(copy))
    env = {**os.environ, **keys["env"], "DOSSIER_APPROVER_P12": str(keys["folder"] / "李强.p12")}
    runs = [subprocess.Popen([sys.executable, "-c", "from dossier.cli import main; main()", *release, "--approved-by", who],
                             cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for who in ("李强", "李强")]
    outcomes = sorted((run.wait(timeout=300), run.stderr.read()) for run in runs)
    assert [code for code, _ in outcomes] == [0, 2]
    assert "another dossier command is changing the workspace" in outcomes[1][1]
    assert [e["document"] for e in _entries(copy)] == ["QP-04", "QP-04", "QR-12-01"]
    assert run_cli("check", str(copy)).exit_code == 0
    assert run_cli("verify", str(copy), "--trust", keys["root"]).exit_code == 0
