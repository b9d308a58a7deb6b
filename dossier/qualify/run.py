"""One qualification run: IQ, then OQ (only after every IQ check passed), then the outputs.

Writes into the output folder: `qualification-report.docx` and `.pdf` (软件确认报告),
`qualification.json` (every result, machine-readable) and `evidence/` (each check's full
evidence, the list of installed files with their SHA-256). The scratch workspace is made in a
temporary folder and removed afterwards unless kept.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dossier import __version__
from dossier.errors import DossierError, Problems, UsageError
from dossier.qualify import iq, oq
from dossier.qualify.catalogue import catalogue
from dossier.qualify.context import Context
from dossier.qualify.record import FAILED, NOT_RUN, PASSED, CheckFailure, CheckResult, Evidence
from dossier.qualify.report import TITLE, Run, report_docx, shown_time
from dossier.util import clock
from dossier.util.atomic import write_bytes, write_text
from dossier.workspace.load import workspace_zone
from dossier.workspace.model import DEFAULT_TIMEZONE

IMPLEMENTATIONS: dict[str, Callable[[Context], str]] = {**iq.CHECKS, **oq.CHECKS}
REPORT = "qualification-report"


@dataclass
class Outcome:
    """What a run produced: the results in order, the files written, and a PDF problem if any."""

    results: list[CheckResult]
    written: list[Path] = field(default_factory=list)
    pdf_problem: str = ""

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(r.passed for r in self.results)


def _workspace_settings(ctx: Context, workspace: Path) -> None:
    """Company, fonts and converters of the company's workspace, and the versions its ledger records."""
    from dossier.fonts import ROLES, default_fonts
    from dossier.workspace.kinds import KINDS
    from dossier.workspace.load import find_root, load_config

    root = find_root(workspace)
    problems = Problems()
    config = load_config(root, problems)
    problems.raise_if_any()
    ctx.workspace, ctx.company = root, config.company_name
    faces = {getattr(default_fonts(), role) for role in ROLES}
    for kind in KINDS:
        faces |= set(config.font_choices(kind).values())
    ctx.faces = sorted(faces)
    ctx.converters = list(config.converters)
    ctx.describe("工作区", f"{root}（{config.company_name}）")
    ledger = root / config.ledger_file
    if not ledger.is_file():
        ctx.describe("账本记录的软件版本", "无发布记录")
    else:
        tools: Counter[str] = Counter()
        for line in ledger.read_text(encoding="utf-8").splitlines():
            try:
                tools[json.loads(line).get("tool") or "（未记录版本）"] += 1
            except (ValueError, AttributeError):
                continue
        versions = "；".join(f"{tool}：{count} 条" for tool, count in sorted(tools.items()))
        ctx.describe("账本记录的软件版本", versions or "无记录")


def _run_check(ctx: Context, check_id: str) -> CheckResult:
    ctx.evidence = Evidence()
    started = time.monotonic()
    try:
        summary, status = IMPLEMENTATIONS[check_id](ctx), PASSED
    except CheckFailure as failure:
        summary, status = str(failure), FAILED
    except Exception as exc:  # a check that breaks is a failed check, reported with what broke
        summary, status = f"{type(exc).__name__}: {exc}", FAILED
        ctx.evidence.add("".join(traceback.format_exception_only(exc)).strip())
    return CheckResult(check_id, status, summary, list(ctx.evidence.lines), time.monotonic() - started)


def _pdf(docx: bytes, out: Path, converters: list[str], when: datetime) -> bytes:
    from dossier.convert import convert_batch
    from dossier.pdf.normalise import normalise_pdf

    with tempfile.TemporaryDirectory(prefix="dossier-qualify-report-") as tmp:
        source = Path(tmp) / f"{REPORT}.docx"
        source.write_bytes(docx)
        pdf = convert_batch([source], Path(tmp) / "pdf", converters=converters or None)[source]
        return normalise_pdf(pdf.read_bytes(), when, TITLE)


def qualify(out: Path, workspace: Path | None = None, keep_scratch: bool = False,
            progress: Callable[[CheckResult], None] = lambda result: None) -> Outcome:
    """Run every check of requirements.yaml and write the report (see module docstring).

    `workspace` gives the company name, the fonts and converters to check and the ledger whose
    versions the report lists. `progress` is called with each result as it is known.
    """
    if out.exists() and not out.is_dir():
        raise UsageError(f"error: {out}: not a folder")
    from dossier.convert import configured_converters
    from dossier.fonts import ROLES, default_fonts

    # times as the workspace reads them (its `timezone:`; without a workspace, the default zone)
    started = clock.now_in(workspace_zone(workspace) if workspace is not None else ZoneInfo(DEFAULT_TIMEZONE))
    scratch = Path(tempfile.mkdtemp(prefix="dossier-qualify-"))
    ctx = Context(out=out, scratch=scratch, faces=sorted({getattr(default_fonts(), r) for r in ROLES}),
                  converters=configured_converters())
    ctx.describe("确认时间", shown_time(started, "%Y-%m-%d %H:%M:%S"))
    if workspace is not None:
        _workspace_settings(ctx, workspace)
    results: list[CheckResult] = []
    try:
        for check in catalogue().checks:
            if check.stage == "OQ" and any(not r.passed for r in results if r.id.startswith("IQ")):
                result = CheckResult(check.id, NOT_RUN, "安装确认有不符合项，运行确认未执行")
            else:
                result = _run_check(ctx, check.id)
            results.append(result)
            progress(result)
    finally:
        if keep_scratch:
            ctx.describe("临时工作区", str(scratch))
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return _write(ctx, results, started)


def _write(ctx: Context, results: list[CheckResult], started: datetime) -> Outcome:
    out = ctx.out
    outcome = Outcome(results)
    evidence: dict[str, str] = {f"evidence/{r.id}.txt": "\n".join(r.evidence) + "\n" for r in results}
    evidence.update({f"evidence/{name}": text for name, text in ctx.files.items()})
    digests = []
    for name, text in sorted(evidence.items()):
        write_text(out / name, text)
        digests.append((name, hashlib.sha256(text.encode()).hexdigest()))
        outcome.written.append(out / name)
    finished = clock.now_in(started.tzinfo)
    run = Run(catalogue(), {r.id: r for r in results}, ctx.environment, started, finished, ctx.company, digests)
    summary = {
        "dossier": __version__, "started": started.isoformat(timespec="seconds"), "finished": finished.isoformat(timespec="seconds"),
        "passed": outcome.passed, "environment": [{"item": i, "value": v} for i, v in ctx.environment],
        "checks": [{"id": r.id, "status": r.status, "summary": r.summary, "seconds": round(r.seconds, 1)} for r in results],
        "requirements": [{"id": q.id, "checks": [c.id for c in run.catalogue.checks_of(q.id)]} for q in run.catalogue.requirements],
    }
    write_text(out / "qualification.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    docx = report_docx(run)
    write_bytes(out / f"{REPORT}.docx", docx)
    outcome.written += [out / "qualification.json", out / f"{REPORT}.docx"]
    pdf_path = out / f"{REPORT}.pdf"
    try:
        write_bytes(pdf_path, _pdf(docx, out, ctx.converters, finished))
        outcome.written.append(pdf_path)
    except DossierError as exc:
        pdf_path.unlink(missing_ok=True)  # never leave the PDF of an earlier run beside this report
        outcome.pdf_problem = " ".join(exc.lines())
    return outcome


__all__ = ["FAILED", "NOT_RUN", "PASSED", "Outcome", "qualify"]
