"""The report of `dossier verify`: PDFs given directly, and workspaces (ledger, archive and
every signed PDF under the releases folder).

For a workspace: the ledger's chain, the archive against it, interrupted archive steps, the
ledger's end against its head (the head file, its last commit, `--expect-head`), every signed
ledger entry (and, with `require_signed_releases`, every entry a signature must vouch for), and
each signature of each PDF against the person the document names for its role. Times are shown
in the workspace time zone (device GMP 2025 Art. 43, 46(2); 电子签名法 Art. 13).

The report names what it checked for each workspace (the ledger file, its entries and what its
end was checked against, the archive folder and its files, the signed PDFs) and warns when the
default ledger (`ledger.jsonl`) or archive (`releases/`) exists but `paths:` in dossier.yaml
points elsewhere, so it was not checked. When dossier.yaml declares `signing.required_roles`,
every signed PDF under the releases folder (and a PDF of that folder given directly) must carry
a signature in each of those roles; `--require-role` asks the same of any PDF given.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from asn1crypto import x509

from dossier.actions.signers import archived_people, check_people, local_times, working_people
from dossier.control.archive import RELEASES_DIR
from dossier.control.ledger import DEFAULT_NAME, Head, Ledger, verify_workspace
from dossier.control.ledger.chain import read_lines
from dossier.control.ledger.head import head_problems
from dossier.control.ledger.signatures import EntrySignature, check_entry_signatures
from dossier.control.recovery import staged_leftovers
from dossier.errors import CheckFailed, Problems
from dossier.signing.profiles import required_roles, signing_people
from dossier.signing.verify import PdfCheck, verify_pdf
from dossier.validate import validate_workspace
from dossier.workspace.load import CONFIG_FILE, find_root, load_config, load_workspace
from dossier.workspace.model import DEFAULT_TIMEZONE, Config


@dataclass
class WorkspaceCheck:
    """One workspace: what was checked, ledger and archive problems (see
    dossier.control.ledger.verify_workspace), the signatures of its ledger entries, warnings."""

    path: str
    problems: list[str] = field(default_factory=list)
    entry_signatures: list[EntrySignature] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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

    def warning_lines(self) -> list[str]:
        """One `warning:` line per thing that exists but was not checked."""
        return [f"warning: {w}" for workspace in self.workspaces for w in workspace.warnings]

    def to_json(self) -> dict:
        """A JSON-ready dict of the whole report."""
        return {"ok": self.ok, "workspaces": [asdict(w) for w in self.workspaces],
                "files": [f.to_json() for f in self.files]}


def verify_targets(paths: list[Path], trust_roots: list[x509.Certificate], roles: tuple[str, ...] = (),
                   expect_head: list[Head] | None = None) -> VerifyReport:
    """Verify PDFs given directly, and for workspace folders the ledger, the archive and every
    signed PDF under the releases folder. `roles` must have signed every PDF given directly;
    `expect_head` (from `--expect-head`) names entries the ledger of each workspace must still hold."""
    report = VerifyReport()
    for path in paths:
        if path.is_dir():
            _verify_workspace(path, trust_roots, report, expect_head or [])
        else:
            report.files.append(_verify_file(path, trust_roots, roles))
    return report


def _verify_file(path: Path, trust_roots: list[x509.Certificate], roles: tuple[str, ...]) -> PdfCheck:
    """A PDF given directly: checked against the people and required roles of the workspace it belongs to, if any."""
    check = verify_pdf(path, trust_roots)
    if roles:
        check.require_roles(roles, "--require-role")
    root = _workspace_of(path)
    if root is None:
        local_times(check, ZoneInfo(DEFAULT_TIMEZONE))
        return check
    problems = Problems()
    config = load_config(root, problems)
    local_times(check, config.zone if not problems else ZoneInfo(DEFAULT_TIMEZONE))
    _released_roles(path, root, config, check)
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
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def _released_roles(pdf: Path, root: Path, config: Config, check: PdfCheck) -> None:
    """A PDF of a workspace's releases folder must carry the workspace's required roles."""
    roles = required_roles(config.raw, Problems())
    if roles and pdf.resolve().is_relative_to((root / config.releases_dir).resolve()):
        check.require_roles(roles, f"signing.required_roles of {root.name}/{CONFIG_FILE}")


def _entries(root: Path, config: Config) -> list:
    try:
        return Ledger(root / config.ledger_file, config.ledger_file).entries()
    except CheckFailed:
        return []  # unreadable lines: verify_workspace reports them


def _verify_workspace(path: Path, trust_roots: list[x509.Certificate], report: VerifyReport, expect_head: list[Head]) -> None:
    root = find_root(path)
    problems = Problems()
    config = load_config(root, problems)
    roles = required_roles(config.raw, problems)
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
    check = WorkspaceCheck(str(path), [prefix + line for line in lines], signatures)
    report.workspaces.append(check)
    check.checked.append(_ledger_checked(root, config, prefix, ledger.head_path, signatures, expect_head))
    archive = root / config.releases_dir
    files = [p for p in archive.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(archive).parts)] \
        if archive.is_dir() else []
    signed = 0
    ws = None
    for pdf in sorted(archive.rglob("*.pdf")):
        shown = prefix + pdf.relative_to(root).as_posix()
        pdf_check = verify_pdf(pdf, trust_roots, display=shown, require_signature=False)
        if pdf_check.signatures and roles:
            pdf_check.require_roles(roles, f"signing.required_roles of {CONFIG_FILE}")
        if pdf_check.signatures or pdf_check.problems:
            signed += bool(pdf_check.signatures)
            local_times(pdf_check, config.zone)
            named = archived_people(root, config.releases_dir, pdf, entries)
            if named is None:
                ws = ws or _quiet_workspace(root)
                named = working_people(ws, pdf, entries) if ws else None
            check_people(pdf_check, named, people)
            report.files.append(pdf_check)
    check.checked.append(f"archive {prefix}{config.releases_dir}/: {_counted(len(files), 'file', 'files')}, "
                         f"{_counted(signed, 'signed PDF', 'signed PDFs')}"
                         + (f" (required roles: {'、'.join(roles)})" if roles else ""))
    check.warnings.extend(_unchecked_defaults(root, config, prefix))


def _ledger_checked(root: Path, config: Config, prefix: str, head: Path, signatures: list[EntrySignature],
                    expect_head: list[Head]) -> str:
    """`ledger ledger.jsonl: 3 entries (1 signed), end checked against ledger.head` for the checked line."""
    ledger = root / config.ledger_file
    if not ledger.is_file():
        return f"ledger {prefix}{config.ledger_file}: none yet"
    text = f"ledger {prefix}{config.ledger_file}: {_counted(len(read_lines(ledger)), 'entry', 'entries')}"
    if signatures:
        text += f" ({len(signatures)} signed)"
    against = ([head.name] if head.is_file() else []) + [claim.source for claim in expect_head]
    return text + (f", end checked against {' and '.join(against)}" if against else "")


def _counted(number: int, one: str, many: str) -> str:
    """`1 entry`, `3 entries`: a count with the noun it counts."""
    return f"{number} {one if number == 1 else many}"


def _unchecked_defaults(root: Path, config: Config, prefix: str) -> list[str]:
    """A warning for the default ledger or archive when it exists but dossier.yaml `paths:` names another."""
    warnings = []
    for default, chosen, what in ((DEFAULT_NAME, config.ledger_file, "ledger"), (RELEASES_DIR, config.releases_dir, "archive")):
        if (root / default).exists() and (root / default).resolve() != (root / chosen).resolve():
            shown = f"{prefix}{default}{'/' if what == 'archive' else ''}"
            warnings.append(f"{shown} exists but was not checked: dossier.yaml names {chosen} as the {what} "
                            f"(paths.{'ledger' if what == 'ledger' else 'releases'})")
    return warnings


def _quiet_workspace(root: Path):
    problems = Problems()
    ws = load_workspace(root, problems)
    validate_workspace(ws, problems)
    return ws
