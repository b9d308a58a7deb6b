"""The report of `dossier verify`: PDFs given directly, and workspaces (ledger, archive and
every signed PDF under the releases folder)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from asn1crypto import x509

from dossier.control.ledger import verify_workspace
from dossier.errors import Problems
from dossier.signing.verify import PdfCheck, verify_pdf
from dossier.workspace.load import find_root, load_config


@dataclass
class WorkspaceCheck:
    """Ledger and archive problems of one workspace (see dossier.control.ledger.verify_workspace)."""

    path: str
    problems: list[str] = field(default_factory=list)


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


def verify_targets(paths: list[Path], trust_roots: list[x509.Certificate]) -> VerifyReport:
    """Verify PDFs given directly, and for workspace folders the ledger, the archive and every
    signed PDF under the releases folder."""
    report = VerifyReport()
    for path in paths:
        if path.is_dir():
            _verify_workspace(path, trust_roots, report)
        else:
            report.files.append(verify_pdf(path, trust_roots))
    return report


def _verify_workspace(path: Path, trust_roots: list[x509.Certificate],
                      report: VerifyReport) -> None:
    root = find_root(path)
    problems = Problems()
    config = load_config(root, problems)
    problems.raise_if_any()
    prefix = "" if path.resolve() == Path.cwd().resolve() else f"{path}/"
    report.workspaces.append(WorkspaceCheck(str(path), [
        prefix + line
        for line in verify_workspace(root, config.ledger_file, config.releases_dir)]))
    for pdf in sorted((root / config.releases_dir).rglob("*.pdf")):
        shown = prefix + pdf.relative_to(root).as_posix()
        check = verify_pdf(pdf, trust_roots, display=shown, require_signature=False)
        if check.signatures or check.problems:
            report.files.append(check)
