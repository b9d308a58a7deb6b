"""Operational qualification: dossier doing its job in a scratch workspace, with real LibreOffice.

The checks run in order and build on each other (OQ-01 makes the workspace the others use).
Each records the commands it ran and what it compared, returns a one-line summary and raises
CheckFailure when dossier does not behave as its requirement says.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from dossier import __version__
from dossier.qualify.context import Context
from dossier.qualify.record import CheckFailure
from dossier.qualify.scratch import dossier, make_workspace, sha256, throwaway_signer

PASSPHRASE_ENV = "DOSSIER_QUALIFY_PASS"


def _workspace(ctx: Context) -> Path:
    root = ctx.state.get("ws")
    if root is None:
        raise CheckFailure("no scratch workspace: OQ-01 did not build it")
    return root


def _copy(ctx: Context, name: str) -> Path:
    target = ctx.scratch / name
    shutil.copytree(_workspace(ctx), target, symlinks=True)
    return target


def _ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "content").glob("*.yaml"))


def _line_of(path: Path, fragment: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if fragment in text)


def _snapshot(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def oq_build(ctx: Context) -> str:
    """OQ-01: every document gets a .docx and a PDF, and the manifest records their SHA-256."""
    root = make_workspace(ctx)
    ctx.state["ws"] = root
    run = dossier(ctx, "build", root)
    ctx.evidence.require(run.code == 0, f"dossier build failed (exit {run.code})")
    manifest = json.loads((root / "build" / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for d in manifest["documents"] for o in d["outputs"]}
    ids = _ids(root)
    for ident in ids:
        for suffix in ("docx", "pdf"):
            relative = f"build/{ident}.{suffix}"
            path = root / relative
            ctx.evidence.require(path.is_file(), f"{relative} was not written")
            digest = sha256(path)
            ctx.evidence.require(listed.get(relative) == digest, f"manifest.json does not record the SHA-256 of {relative}",
                                 f"{relative} {digest}")
    return f"{len(ids)} 份文件（{'、'.join(ids)}）均生成 .docx 和 PDF，构建清单记录的 SHA-256 与文件一致"


def _embedded_cjk(page) -> set[str]:
    """Base names of the CJK fonts a PDF page embeds."""
    found = set()
    fonts = page.get("/Resources", {}).get("/Font", {}) if page.get("/Resources") else {}
    for ref in fonts.values():
        font = ref.get_object()
        described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        name = str(described.get("/BaseFont", ""))
        if descriptor is not None and "CJK" in name and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.add(name.split("+")[-1])
    return found


def oq_page_controls(ctx: Context) -> str:
    """OQ-02: company and 第 X 页 共 Y 页 on every page of every PDF, CJK text in embedded CJK fonts."""
    from pypdf import PdfReader

    root = _workspace(ctx)
    company = re.sub(r"\s+", "", ctx.company or "示例医疗科技有限公司")
    pages = 0
    for pdf in sorted((root / "build").glob("*.pdf")):
        reader = PdfReader(pdf)
        total = len(reader.pages)
        fonts: set[str] = set()
        for number, page in enumerate(reader.pages, start=1):
            text = re.sub(r"\s+", "", page.extract_text() or "")
            ctx.evidence.require(f"第{number}页共{total}页" in text, f"{pdf.name} page {number}: no 第 {number} 页 共 {total} 页")
            ctx.evidence.require(company in text, f"{pdf.name} page {number}: no company name {company}")
            fonts |= _embedded_cjk(page)
        ctx.evidence.require(bool(fonts), f"{pdf.name}: no embedded CJK font")
        ctx.evidence.add(f"ok: {pdf.name}: {total} pages, each with 第 X 页 共 {total} 页 and {company}; embedded CJK fonts {', '.join(sorted(fonts))}")
        pages += total
    return f"{pages} 页均有公司名称和正确的“第 X 页 共 Y 页”，中文字体已嵌入"


def oq_bad_input(ctx: Context) -> str:
    """OQ-03: an unknown kind and a bad date: exit 2, one located line each, the build folder untouched."""
    root = _copy(ctx, "ws-bad-input")
    source = root / "content" / "QP-01.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("kind: procedure", "kind: procedur").replace('effective_date: "', 'effective_date: "20x'), encoding="utf-8")
    ctx.evidence.add("edited $SCRATCH/ws-bad-input/content/QP-01.yaml: kind: procedur, effective_date: 20x…")
    before = _snapshot(root / "build")
    run = dossier(ctx, "build", root)
    ctx.evidence.require(run.code == 2, f"expected exit 2 for bad input, got {run.code}")
    expected = [f"error: content/QP-01.yaml:{_line_of(source, 'kind: procedur')}: kind: unknown document kind 'procedur'",
                f"error: content/QP-01.yaml:{_line_of(source, 'effective_date:')}: effective_date: expected a date"]
    for line in expected:
        ctx.evidence.require(any(out.startswith(line) for out in run.stderr.splitlines()), f"no line starting {line!r}", line)
    after = _snapshot(root / "build")
    ctx.evidence.require(after == before, "the build folder changed although the input was rejected",
                         f"build/ unchanged ({len(after)} files, same SHA-256)")
    ctx.evidence.require(not (root / "releases").exists() and not (root / "ledger.jsonl").exists(), "release files were written")
    return "退出码 2，两个问题各有一行“文件:行: 字段”，构建目录未改动"


def oq_release(ctx: Context) -> str:
    """OQ-04: two releases archived; archive hashes, approver and tool version in the ledger; verify passes."""
    root = _workspace(ctx)
    for ident in ("QP-01", "QR-01-01"):
        run = dossier(ctx, "release", ident, "--approved-by", "批准人", "--reason", "首次发布", "-w", root)
        ctx.evidence.require(run.code == 0, f"dossier release {ident} failed (exit {run.code})")
    entries = [json.loads(line) for line in (root / "ledger.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    ctx.evidence.require(len(entries) == 2, f"expected 2 ledger entries, found {len(entries)}")
    for entry in entries:
        ctx.evidence.require(entry.get("approved_by") == "批准人", f"entry {entry['seq']}: approved_by is {entry.get('approved_by')!r}")
        ctx.evidence.require(entry.get("tool") == f"dossier {__version__}", f"entry {entry['seq']}: tool is {entry.get('tool')!r}, "
                             f"expected 'dossier {__version__}'")
        for relative, digest in sorted(entry["outputs"].items()):
            ctx.evidence.require((root / relative).is_file() and sha256(root / relative) == digest,
                                 f"{relative} does not match ledger entry {entry['seq']}", f"{relative} {digest}")
    run = dossier(ctx, "verify", root)
    ctx.evidence.require(run.code == 0, f"dossier verify failed on the untouched workspace (exit {run.code})")
    return "2 次发布已归档，归档文件与账本一致，账本记录批准人和 dossier " + __version__ + "，verify 通过"


def oq_released_unchanged(ctx: Context) -> str:
    """OQ-05: editing a released revision makes check fail and ask for a new revision; undoing it passes."""
    root = _workspace(ctx)
    body = root / "content" / "QP-01.md"
    original = body.read_bytes()
    body.write_bytes(original + "\n5. 新增一条未经批准的要求。\n".encode())
    ctx.evidence.add("appended a line to $SCRATCH/ws/content/QP-01.md")
    try:
        run = dossier(ctx, "check", root)
        ctx.evidence.require(run.code == 2 and "QP-01 changed since release A" in run.stderr and "revise QP-01" in run.stderr,
                             f"check did not refuse the edited released revision (exit {run.code})")
    finally:
        body.write_bytes(original)
    run = dossier(ctx, "check", root)
    ctx.evidence.require(run.code == 0, f"check fails after the edit was undone (exit {run.code})")
    return "修改后 check 退出码 2 并要求 dossier revise；恢复后通过"


def oq_reproducible(ctx: Context) -> str:
    """OQ-06: `build --force` gives the archived .docx and PDF byte for byte."""
    root = _workspace(ctx)
    run = dossier(ctx, "build", "--force", "--only", "QP-01", "--only", "QR-01-01", root)
    ctx.evidence.require(run.code == 0, f"dossier build --force failed (exit {run.code})")
    compared = 0
    for ident in ("QP-01", "QR-01-01"):
        for suffix in ("docx", "pdf"):
            built, archived = root / "build" / f"{ident}.{suffix}", root / "releases" / ident / "A" / f"{ident}.{suffix}"
            digest = sha256(built)
            ctx.evidence.require(archived.is_file() and digest == sha256(archived),
                                 f"build/{ident}.{suffix} differs from releases/{ident}/A/", f"{ident}.{suffix} {digest} = archive")
            compared += 1
    return f"{compared} 个文件与归档逐字节相同"


def oq_ledger_tampering(ctx: Context) -> str:
    """OQ-07: an edited field, a deleted entry and swapped entries are each found by verify."""
    variants: dict[str, Callable[[list[str]], list[str]]] = {
        "edit": lambda lines: [lines[0].replace('"首次发布"', '"变更原因已改"', 1), *lines[1:]],
        "delete": lambda lines: lines[1:],
        "reorder": lambda lines: [lines[1], lines[0], *lines[2:]],
    }
    for name, change in variants.items():
        root = _copy(ctx, f"ws-ledger-{name}")
        ledger = root / "ledger.jsonl"
        lines = ledger.read_text(encoding="utf-8").splitlines()
        changed = change(lines)
        ctx.evidence.require(changed != lines, f"{name}: the ledger could not be altered for the test")
        ledger.write_text("\n".join(changed) + "\n", encoding="utf-8")
        ctx.evidence.add(f"{name}: $SCRATCH/ws-ledger-{name}/ledger.jsonl altered")
        run = dossier(ctx, "verify", root)
        ctx.evidence.require(run.code == 1 and "line" in run.output, f"{name}: verify did not report the altered ledger (exit {run.code})")
    return "修改字段、删除记录、交换顺序三种改动均被 verify 检出（退出码 1）"


def _tamper(data: bytes) -> bytes:
    """One byte changed inside the signed part: the first digit of the document's creation date string."""
    at = next(i for i in range(data.index(b"/CreationDate"), len(data)) if data[i:i + 1].isdigit())
    return data[:at] + (b"1" if data[at:at + 1] != b"1" else b"2") + data[at + 1:]


def oq_signatures(ctx: Context) -> str:
    """OQ-08: a PDF signed with a throwaway certificate verifies; one changed byte makes verify fail."""
    root = _workspace(ctx)
    passphrase = "qualify"
    p12, ca = throwaway_signer(ctx.scratch / "keys", "编制人", passphrase)
    ctx.evidence.add("made a throwaway CA and a certificate for 编制人 in $SCRATCH/keys")
    config = root / "dossier.yaml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + f"signing:\n  profiles:\n    qualify: {{role: 编制, pkcs12_file: {json.dumps(str(p12))}, "
                      f"passphrase_env: {PASSPHRASE_ENV}}}\n", encoding="utf-8")
    signed = ctx.scratch / "signed" / "QP-01.pdf"
    signed.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / "releases" / "QP-01" / "A" / "QP-01.pdf", signed)
    try:
        run = dossier(ctx, "sign", signed, "--profile", "qualify", "--workspace", root, env={PASSPHRASE_ENV: passphrase})
        ctx.evidence.require(run.code == 0, f"dossier sign failed (exit {run.code})")
    finally:
        config.write_text(original, encoding="utf-8")
    # run in the scratch workspace: verify checks the signer against the person its QP-01 names (编制人),
    # not against a QP-01 of whatever workspace dossier qualify was started in
    run = dossier(ctx, "verify", signed, "--trust", ca, cwd=root)
    ctx.evidence.require(run.code == 0, f"the signed PDF does not verify (exit {run.code})", f"signed PDF {sha256(signed)} verifies")
    tampered = signed.with_name("QP-01-tampered.pdf")
    tampered.write_bytes(_tamper(signed.read_bytes()))
    ctx.evidence.add("changed one digit of the creation date of the signed PDF: $SCRATCH/signed/QP-01-tampered.pdf")
    run = dossier(ctx, "verify", tampered, "--trust", ca, cwd=root)
    ctx.evidence.require(run.code == 1, f"verify did not find the changed byte (exit {run.code})")
    return "签名验证通过；改动一个字节后验证失败（退出码 1）"


def oq_validation_report(ctx: Context) -> str:
    """OQ-09: the report's PDF judges each criterion; without its deviation a failed criterion fails check."""
    from pypdf import PdfReader

    root = _workspace(ctx)
    text = re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in PdfReader(root / "build" / "VR-01-01.pdf").pages))
    for fragment in ("AC-02", "AC-03", "S4：12.4μg/cm²（应不大于10μg/cm²）", "不符合", "DEV-01", "验证结论：合格"):
        ctx.evidence.require(fragment in text, f"VR-01-01.pdf does not show {fragment}", f"VR-01-01.pdf shows {fragment}")
    copy = _copy(ctx, "ws-no-deviation")
    report = copy / "content" / "VR-01-01.yaml"
    lines = report.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("  deviations:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    report.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    ctx.evidence.add("removed report.deviations from $SCRATCH/ws-no-deviation/content/VR-01-01.yaml")
    run = dossier(ctx, "check", copy)
    expected = f"error: content/VR-01-01.yaml:{_line_of(report, 'S4: 12.4')}: report.results.AC-02.values.S4: AC-02 不符合"
    ctx.evidence.require(run.code == 2 and any(line.startswith(expected) for line in run.stderr.splitlines()),
                         f"check did not demand a deviation for AC-02 (exit {run.code})", expected)
    return "PDF 逐项显示判定（AC-02 不符合，偏差已批准，结论合格）；删去偏差后 check 退出码 2 并指出 AC-02 和行号"


def oq_plan_status(ctx: Context) -> str:
    """OQ-10: status lists the plan's object with its state and next due date."""
    root = _workspace(ctx)
    run = dossier(ctx, "status", "--json", "-w", root)
    ctx.evidence.require(run.code == 0, f"dossier status failed (exit {run.code})")
    objects = {o["object"]: o for o in json.loads(run.stdout).get("validation", [])}
    found = objects.get("CL-01")
    ctx.evidence.require(found is not None, "status does not list plan object CL-01")
    ctx.evidence.add(f"CL-01: state {found['state']}, report {found['report']}, last validated {found['last_validated']}, "
                     f"next due {found['next_due']}")
    ctx.evidence.require(found["state"] == "executed" and found["report"] == "VR-01-01", "CL-01 is not shown as executed by VR-01-01")
    ctx.evidence.require(found["next_due"] == "2027-06-18", f"CL-01 next due {found['next_due']}, expected 2027-06-18 (2025-06-18 + 24 months)")
    return "CL-01 显示为“已实施”（VR-01-01），再验证到期日 2027-06-18"


CHECKS: dict[str, Callable[[Context], str]] = {
    "OQ-01": oq_build,
    "OQ-02": oq_page_controls,
    "OQ-03": oq_bad_input,
    "OQ-04": oq_release,
    "OQ-05": oq_released_unchanged,
    "OQ-06": oq_reproducible,
    "OQ-07": oq_ledger_tampering,
    "OQ-08": oq_signatures,
    "OQ-09": oq_validation_report,
    "OQ-10": oq_plan_status,
}
