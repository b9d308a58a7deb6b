"""The `dossier` command line: one click group, every error printed as one line per problem."""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import date
from pathlib import Path

import click

from dossier import __version__
from dossier.cli.group import DossierGroup
from dossier.cli.params import DATE
from dossier.cli.report import Interrupted
from dossier.errors import UsageError, Warnings
from dossier.util.progress import progress_wanted
from dossier.workspace.model import Workspace

FORMATS = ("docx", "pdf", "all")  # dossier.pipeline.documents.FORMATS (a test keeps them equal)

WORKSPACE_OPTION = click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".",
                                show_default=True, help="The workspace folder.")
WORKSPACE = click.argument("workspace", type=click.Path(file_okay=False, path_type=Path), default=".")


@click.group(cls=DossierGroup)
@click.version_option(__version__, prog_name="dossier")
def cli() -> None:
    """Build controlled regulatory documents from YAML + Markdown."""


@cli.command("build")
@WORKSPACE
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="all", show_default=True, help="Outputs to write.")
@click.option("--only", multiple=True, metavar="DOC-ID", help="Build only this document (repeatable).")
@click.option("--force", is_flag=True, help="Rebuild everything, ignoring the build cache.")
@click.option("--sign", multiple=True, metavar="PROFILE", help="Sign every PDF with this signing profile (repeatable, in order).")
@click.option("--converter", "converters", multiple=True, metavar="URL",
              help="Convert on this server instead of local LibreOffice (unoserver://HOST:PORT, gotenberg+http://HOST:PORT; repeatable).")
@click.option("--timeout", type=click.FloatRange(1, 3600), metavar="SECONDS",
              help="Time LibreOffice may take per document before it counts as hung (default: converter.timeout "
                   "in dossier.yaml, else 30).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
def build_command(workspace: Path, fmt: str, only: tuple[str, ...], force: bool, sign: tuple[str, ...],
                  converters: tuple[str, ...], timeout: float | None, as_json: bool) -> None:
    """Render every document to .docx and .pdf under build/ and write build/manifest.json.

    Outputs whose inputs did not change since the last build are reused (see --force).
    """
    from dossier.pipeline.build import build

    warnings = Warnings()
    with _printing(warnings):
        result = build(workspace, fmt, only, force, sign, converters, progress_wanted(as_json), warnings, timeout)
    root = workspace.resolve()
    if as_json:
        summary = {
            "warnings": [str(item) for item in warnings.sorted()],
            "documents": {doc_id: {k: str(p.relative_to(root)) for k, p in files.items()} for doc_id, files in result.outputs.items()},
            "manifest": str(result.manifest.relative_to(root)) if result.manifest else None,
            "up_to_date": result.up_to_date,
            "disinfectant": [str(p.relative_to(root)) for p in result.products],
        }
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for doc_id, files in result.outputs.items():
        if doc_id not in result.up_to_date:
            click.echo(f"built {doc_id}: " + ", ".join(str(p.relative_to(root)) for p in files.values()))
    if result.products:
        click.echo(f"built {len(result.products)} disinfectant filing files under {ws_rel(result.products[0], root)}")
    built = len(result.outputs) - len(result.up_to_date)
    click.echo(f"{built} document{'s' if built != 1 else ''} built, {len(result.up_to_date)} up to date; manifest {result.manifest.relative_to(root)}")


def ws_rel(path: Path, root: Path) -> str:
    """The product folder of a disinfectant output, relative to the workspace."""
    return str(path.parent.parent.relative_to(root))


@cli.command("check")
@WORKSPACE
def check_command(workspace: Path) -> None:
    """Validate every input without rendering (exit 2 and one line per problem when invalid)."""
    from dossier.markdown.queries import open_spots
    from dossier.pipeline.load import load_checked, workspace_warnings

    warnings = Warnings()
    with _printing(warnings):
        ws = load_checked(workspace, warnings=warnings)
        workspace_warnings(ws, warnings)  # the same list build shows
    count = len(warnings.items)
    click.echo(f"ok: {len(ws.documents)} documents valid" + (f" ({count} warning{'s' if count != 1 else ''})" if count else ""))
    spots = {doc.id: len(open_spots(doc)) for doc in ws.documents.values()}
    if any(spots.values()):
        total, documents = sum(spots.values()), sum(1 for n in spots.values() if n)
        click.echo(f"open: {total} spot{'s' if total != 1 else ''} to fill in or confirm (【请根据本企业实际填写：…】, 【请确认：…】) "
                   f"in {documents} document{'s' if documents != 1 else ''}; `dossier status --open` lists them")


@contextlib.contextmanager
def _printing(warnings: Warnings):
    """Print the warnings collected in the block on stderr, also when it ends in an error (not when
    a signal stopped the run: then its one `error: stopped by …` line is all that is printed)."""
    try:
        yield
    except Interrupted:
        raise
    except BaseException:
        _print_warnings(warnings)
        raise
    _print_warnings(warnings)


def _print_warnings(warnings: Warnings) -> None:
    for line in warnings.lines():
        click.echo(line, err=True)


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--company", default="示例医疗科技有限公司", show_default=True, help="Company name for the header.")
@click.option("--starter", metavar="NAME", help="Write a complete quality system instead (device-gmp-2025: the device GMP 2025 document set).")
@click.option("--address", default="", metavar="TEXT", help="Company address (with --starter).")
@click.option("--numbering", "prefix", default="", metavar="PREFIX", help="Prefix every document number (with --starter; SL- gives SL-QP-04).")
def init_command(directory: Path, company: str, starter: str | None, address: str, prefix: str) -> None:
    """Create a new workspace that builds: one procedure and one record form, or a whole starter set (--starter).

    Its documents are dated today in the new workspace's time zone (by default Asia/Shanghai).
    """
    from dossier.actions.init import init_workspace, new_workspace_today
    from dossier.actions.starter import init_starter

    today = new_workspace_today()
    if starter is None:
        if address or prefix:
            raise UsageError("error: --address and --numbering go with --starter")
        for path in init_workspace(directory, company, today):
            click.echo(f"created {path}")
        return
    written = init_starter(directory, starter, company, address, today, prefix)
    documents = sum(1 for path in written if path.parent.name == "content" and path.suffix == ".yaml")
    click.echo(f"created {directory}: {documents} documents of the {starter} starter for {company} "
               f"(dossier.yaml, external.yaml, content/)")
    click.echo("next: dossier check (counts the spots to fill in), dossier status --open (lists them), "
               "dossier coverage (articles and documents)")


@cli.command("release")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--approved-by", default="", metavar="NAME",
              help="Who approves this revision (批准); must agree with approved_by.name in the YAML (default: that name).")
@click.option("--reason", required=True, metavar="TEXT", help="Why this revision is released (修订原因).")
@click.option("--effective", type=DATE, help="Effective date (default: the document's, else today).")
@click.option("--minor", is_flag=True, help="Release the next minor revision of a released document (edition/numeric schemes).")
@click.option("--sign", multiple=True, metavar="PROFILE",
              help="Also archive a PDF signed with this profile (repeatable, in order); a 批准 profile also signs the ledger entry.")
@click.option("--diff-summary", is_flag=True, help="Add the change summary against the previous release (dossier diff) to the revision history entry.")
@WORKSPACE_OPTION
def release_command(doc_id: str, approved_by: str, reason: str, effective: date | None, minor: bool,
                    sign: tuple[str, ...], diff_summary: bool, workspace: Path) -> None:
    """Release the working revision: archive its outputs and record it in the ledger."""
    from dossier.actions.release import release

    result = release(workspace, doc_id, approved_by, reason, effective, minor, sign=sign, diff_summary=diff_summary)
    _notes(result.notes)
    entry = result.entry
    signed = f"; entry signed by {entry.approved_by}" if entry.signature else ""
    approval = result.approval
    approved = f" on {approval.day} {approval.source}" if approval else ""
    click.echo(f"released {entry.document} revision {entry.revision} (effective {entry.effective_date}); approved by "
               f"{entry.approved_by}{approved}; ledger entry {entry.seq}{signed}; archived in "
               f"{result.archive.relative_to(workspace.resolve())}")
    from dossier.cli.notices import after_release

    for line in after_release(load_workspace_or_fail(workspace), doc_id):
        click.echo(line, err=line.startswith("warning:"))  # warnings on stderr, as check and build print them


def _notes(notes: list[str]) -> None:
    """What recovering an interrupted run did, as warnings."""
    for note in notes:
        click.echo(f"warning: {note}", err=True)


@cli.command("revise")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--minor", is_flag=True, help="Minor revision (edition/numeric schemes).")
@click.option("--change", default="", metavar="TEXT", help="What the new revision changes (修订内容).")
@WORKSPACE_OPTION
def revise_command(doc_id: str, minor: bool, change: str, workspace: Path) -> None:
    """Start the next revision of a released document as a draft (sign-off dates cleared, approver removed)."""
    from dossier.actions.release import revise

    new = revise(workspace, doc_id, minor, change, report=lambda note: _notes([note]))
    click.echo(f"{doc_id}: revision {new} started as a draft; fill in prepared_by.date and reviewed_by.date before release")


@cli.command("obsolete")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--reason", required=True, metavar="TEXT", help="Why the document is withdrawn.")
@click.option("--approved-by", required=True, metavar="NAME", help="Who approved the withdrawal (within approval_authority).")
@click.option("--sign", multiple=True, metavar="PROFILE", help="Sign the ledger entry with this 批准 profile (the approver's key).")
@WORKSPACE_OPTION
def obsolete_command(doc_id: str, reason: str, approved_by: str, sign: tuple[str, ...], workspace: Path) -> None:
    """Withdraw a document (作废); status then shows the end of its retention period."""
    from dossier.actions.release import obsolete

    entry = obsolete(workspace, doc_id, reason, approved_by, sign=sign, report=lambda note: _notes([note]))
    click.echo(f"withdrew {entry.document} (revision {entry.revision}) on {entry.effective_date}, approved by "
               f"{entry.approved_by}; ledger entry {entry.seq}")
    from dossier.cli.notices import after_withdrawal

    for line in after_withdrawal(load_workspace_or_fail(workspace), doc_id):
        click.echo(line, err=line.startswith("warning:"))


@cli.command("register")
@WORKSPACE
@click.option("--drafts", is_flag=True, help="Also list the documents not released (未发布文件清单).")
def register_command(workspace: Path, drafts: bool) -> None:
    """Write the registers: master list (受控文件清单), distribution (文件发放回收记录) and destruction
    (文件销毁记录) records, as docx, pdf and csv in build/register/."""
    from dossier.actions.register import write_register

    ws = load_workspace_or_fail(workspace)
    out = ws.config.build_path / "register"
    for path in write_register(ws, ws.config.today(), out, drafts):
        click.echo(f"wrote {path.relative_to(ws.root)}")


def load_workspace_or_fail(workspace: Path) -> Workspace:
    """Load and validate (without the release-integrity check, which status reports as a flag)."""
    from dossier.pipeline.load import load_valid

    return load_valid(workspace)




def main() -> None:
    """Console-script entry point."""
    cli(prog_name="dossier")
    sys.exit(0)
