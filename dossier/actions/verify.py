"""The report of `dossier verify`: PDFs given directly, and workspaces (ledger, archive and
every signed PDF under the releases folder).

For a workspace the report names what it checked (the ledger file and its entries, the archive
folder and its files, the signed PDFs) and warns when the default ledger (`ledger.jsonl`) or
archive (`releases/`) exists but `paths:` in dossier.yaml points elsewhere, so it was not checked.
When dossier.yaml declares `signing.required_roles`, every signed PDF under the releases folder
(and a PDF of that folder given directly) must carry a signature in each of those roles; `--require-role`
asks the same of any PDF given.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from asn1crypto import x509

from dossier.control.archive import RELEASES_DIR
from dossier.control.ledger import DEFAULT_NAME, verify_workspace
from dossier.control.ledger.chain import read_lines
from dossier.errors import Problems
from dossier.signing.profiles import required_roles
from dossier.signing.verify import PdfCheck, verify_pdf
from dossier.workspace.load import CONFIG_FILE, find_root, load_config


@dataclass
class WorkspaceCheck:
    """One workspace: what was checked, ledger and archive problems (see verify_workspace), warnings."""

    path: str
    problems: list[str] = field(default_factory=list)
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


def verify_targets(paths: list[Path], trust_roots: list[x509.Certificate], roles: tuple[str, ...] = ()) -> VerifyReport:
    """Verify PDFs given directly, and for workspace folders the ledger, the archive and every
    signed PDF under the releases folder. `roles` must have signed every PDF given directly."""
    report = VerifyReport()
    for path in paths:
        if path.is_dir():
            _verify_workspace(path, trust_roots, report)
        else:
            check = verify_pdf(path, trust_roots)
            if roles:
                check.require_roles(roles, "--require-role")
            _released_roles(path, check)
            report.files.append(check)
    return report


def _released_roles(pdf: Path, check: PdfCheck) -> None:
    """A PDF of a workspace's releases folder must carry the workspace's required roles."""
    for folder in pdf.resolve().parents:
        if (folder / CONFIG_FILE).is_file():
            problems = Problems()
            config = load_config(folder, problems)
            roles = required_roles(config.raw, problems)
            if roles and pdf.resolve().is_relative_to((folder / config.releases_dir).resolve()):
                check.require_roles(roles, f"signing.required_roles of {folder.name}/{CONFIG_FILE}")
            return


def _verify_workspace(path: Path, trust_roots: list[x509.Certificate], report: VerifyReport) -> None:
    root = find_root(path)
    problems = Problems()
    config = load_config(root, problems)
    roles = required_roles(config.raw, problems)
    problems.raise_if_any()
    prefix = "" if path.resolve() == Path.cwd().resolve() else f"{path}/"
    check = WorkspaceCheck(str(path), [prefix + line for line in verify_workspace(root, config.ledger_file, config.releases_dir)])
    report.workspaces.append(check)
    ledger = root / config.ledger_file
    entries = len(read_lines(ledger)) if ledger.is_file() else 0
    check.checked.append(f"ledger {prefix}{config.ledger_file}: " + (f"{entries} entries" if ledger.is_file() else "none yet"))
    archive = root / config.releases_dir
    files = [p for p in archive.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(archive).parts)] \
        if archive.is_dir() else []
    signed = 0
    for pdf in sorted(p for p in files if p.suffix == ".pdf"):
        shown = prefix + pdf.relative_to(root).as_posix()
        pdf_check = verify_pdf(pdf, trust_roots, display=shown, require_signature=False)
        if pdf_check.signatures and roles:
            pdf_check.require_roles(roles, f"signing.required_roles of {CONFIG_FILE}")
        if pdf_check.signatures or pdf_check.problems:
            signed += bool(pdf_check.signatures)
            report.files.append(pdf_check)
    check.checked.append(f"archive {prefix}{config.releases_dir}/: {len(files)} files, {signed} signed PDFs"
                         + (f" (required roles: {'、'.join(roles)})" if roles else ""))
    for default, chosen, what in ((DEFAULT_NAME, config.ledger_file, "ledger"), (RELEASES_DIR, config.releases_dir, "archive")):
        if (root / default).exists() and (root / default).resolve() != (root / chosen).resolve():
            shown = f"{prefix}{default}{'/' if what == 'archive' else ''}"
            check.warnings.append(f"{shown} exists but was not checked: dossier.yaml names {chosen} as the {what} "
                                  f"(paths.{'ledger' if what == 'ledger' else 'releases'})")
