"""The report of `dossier verify`: PDFs given directly, and workspaces (ledger, archive and
every signed PDF under the releases folder).

For a workspace: the ledger's chain, the archive against it, interrupted archive steps, the
ledger's end against its head (the head file, its last commit, `--expect-head`), every signed
ledger entry (and, with `require_signed_releases`, every entry a signature must vouch for), and
each signature of each PDF against the person the document names for its role. Times are shown
in the workspace time zone (device GMP 2025 Art. 43, 46(2); 电子签名法 Art. 13).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import x509

from dossier.actions.signers import archived_people, check_people, local_times, working_people
from dossier.control.ledger import Head, Ledger, verify_workspace
from dossier.control.ledger.head import head_problems
from dossier.control.ledger.signatures import EntrySignature, check_entry_signatures
from dossier.control.recovery import staged_leftovers
from dossier.errors import CheckFailed, Problems
from dossier.signing.profiles import signing_people
from dossier.signing.verify import PdfCheck, verify_pdf
from dossier.validate import validate_workspace
from dossier.workspace.load import find_root, load_config, load_workspace
from dossier.workspace.model import DEFAULT_TIMEZONE, Config


@dataclass
class WorkspaceCheck:
    """Ledger and archive problems of one workspace (see dossier.control.ledger.verify_workspace),
    and the signatures of its ledger entries."""

    path: str
    problems: list[str] = field(default_factory=list)
    entry_signatures: list[EntrySignature] = field(default_factory=list)


@dataclass
class VerifyReport:
    """Everything `dossier verify` checked."""

    workspaces: list[WorkspaceCheck] = field(default_factory=list)
    files: list[PdfCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True only when every ledger, archive, PDF and signature holds."""
        return all(not w.problems for w in self.workspaces) and all(f.ok for f in self.files)

    def failure_lines(self) -> list[str]:
        """One line per problem."""
        lines = [p for w in self.workspaces for p in w.problems]
        return lines + [line for f in self.files for line in f.failure_lines()]

    def to_json(self) -> dict:
        """A JSON-ready dict of the whole report."""
        return {"ok": self.ok, "workspaces": [asdict(w) for w in self.workspaces],
                "files": [f.to_json() for f in self.files]}


def verify_targets(paths: list[Path], trust_roots: list[x509.Certificate], expect_head: list[Head] | None = None) -> VerifyReport:
    """Verify PDFs given directly, and for workspace folders the ledger, the archive and every
    signed PDF under the releases folder. `expect_head` (from `--expect-head`) names entries the
    ledger of each workspace must still hold."""
    report = VerifyReport()
    for path in paths:
        if path.is_dir():
            _verify_workspace(path, trust_roots, report, expect_head or [])
        else:
            report.files.append(_verify_file(path, trust_roots))
    return report


def _verify_file(path: Path, trust_roots: list[x509.Certificate]) -> PdfCheck:
    """A PDF given directly: checked against the people of the workspace it belongs to, if any."""
    check = verify_pdf(path, trust_roots)
    root = _workspace_of(path)
    if root is None:
        local_times(check, ZoneInfo(DEFAULT_TIMEZONE))
        return check
    problems = Problems()
    config = load_config(root, problems)
    local_times(check, config.zone if not problems else ZoneInfo(DEFAULT_TIMEZONE))
    entries = _entries(root, config)
    named = archived_people(root, config.releases_dir, path, entries)
    if named is None:
        ws = load_workspace(root, Problems())
        named = working_people(ws, path, entries)
    check_people(check, named, signing_people(config.raw))
    return check


def _workspace_of(path: Path) -> Path | None:
    """The workspace a file lies in (a folder above it with dossier.yaml), else the current folder's, else None."""
    for folder in [*path.resolve().parents, Path.cwd().resolve()]:
        if (folder / "dossier.yaml").is_file():
            return folder
    return None


def _entries(root: Path, config: Config) -> list:
    try:
        return Ledger(root / config.ledger_file, config.ledger_file).entries()
    except CheckFailed:
        return []  # unreadable lines: verify_workspace reports them


def _verify_workspace(path: Path, trust_roots: list[x509.Certificate], report: VerifyReport, expect_head: list[Head]) -> None:
    root = find_root(path)
    problems = Problems()
    config = load_config(root, problems)
    problems.raise_if_any()
    prefix = "" if path.resolve() == Path.cwd().resolve() else f"{path}/"
    entries = _entries(root, config)
    people = signing_people(config.raw)
    lines = verify_workspace(root, config.ledger_file, config.releases_dir)
    for staging, dest in staged_leftovers(root, config.releases_dir):
        lines.append(f"{staging.relative_to(root).as_posix()}: an interrupted release or withdrawal left this staged; "
                     f"the next dossier release, revise or obsolete finishes or removes it ({dest.relative_to(root).as_posix()})")
    ledger = Ledger(root / config.ledger_file, config.ledger_file)
    lines.extend(head_problems(root, ledger.head_path, entries, expect_head))
    signatures, unsigned = check_entry_signatures(entries, trust_roots, people, config.require_signed_releases, config.zone)
    lines.extend(f"{config.ledger_file}: {s.entry}: signature: {p}" for s in signatures for p in s.problems)
    lines.extend(f"{config.ledger_file}: {line}" for line in unsigned)
    report.workspaces.append(WorkspaceCheck(str(path), [prefix + line for line in lines], signatures))
    ws = None
    for pdf in sorted((root / config.releases_dir).rglob("*.pdf")):
        shown = prefix + pdf.relative_to(root).as_posix()
        check = verify_pdf(pdf, trust_roots, display=shown, require_signature=False)
        if check.signatures or check.problems:
            local_times(check, config.zone)
            named = archived_people(root, config.releases_dir, pdf, entries)
            if named is None:
                ws = ws or _quiet_workspace(root)
                named = working_people(ws, pdf, entries) if ws else None
            check_people(check, named, people)
            report.files.append(check)


def _quiet_workspace(root: Path):
    problems = Problems()
    ws = load_workspace(root, problems)
    validate_workspace(ws, problems)
    return ws
