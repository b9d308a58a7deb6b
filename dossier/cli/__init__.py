"""The `dossier` command line: one click group, every error printed as one line per problem."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date
from pathlib import Path

import click

from dossier import __version__
from dossier.actions.init import init_workspace
from dossier.actions.register import write_register
from dossier.actions.release import obsolete, release, revise
from dossier.actions.starter import init_starter
from dossier.control.status import copies_to_recall, open_lines, status_lines, where_used, workspace_status
from dossier.errors import EXIT_TOOL, DossierError, Problems, UsageError
from dossier.markdown.queries import open_spots
from dossier.pipeline.build import FORMATS, build
from dossier.pipeline.load import load_checked
from dossier.util.progress import progress_wanted
from dossier.validate import validate_workspace
from dossier.workspace.load import load_workspace
from dossier.workspace.model import Workspace

LAZY_COMMANDS = {
    "disinfectant": "dossier.cli.disinfectant:disinfectant",
    "sign": "dossier.cli.signing:sign_command",
    "verify": "dossier.cli.signing:verify_command",
    "diff": "dossier.cli.diff:diff_command",
    "coverage": "dossier.cli.coverage:coverage_command",
}


class DossierGroup(click.Group):
    """Click group that turns DossierError into stderr lines and its exit code (no traceback).

    Sub-commands with heavy imports (signing, disinfectant) load only when used, so quick
    commands such as a no-op `build` start fast.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, the lazily loaded ones included."""
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command `name`, importing a lazily loaded one on first use."""
        if name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        """Run the command; a DossierError becomes its lines on stderr and its exit code."""
        try:
            return super().invoke(ctx)
        except DossierError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # the build directory is read-only, a file where a folder should be, disk full
            where = exc.filename or "file system"
            click.echo(f"error: {where}: {exc.strerror or exc}", err=True)
            ctx.exit(EXIT_TOOL)


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
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
def build_command(workspace: Path, fmt: str, only: tuple[str, ...], force: bool, sign: tuple[str, ...],
                  converters: tuple[str, ...], as_json: bool) -> None:
    """Render every document to .docx and .pdf under build/ and write build/manifest.json.

    Outputs whose inputs did not change since the last build are reused (see --force).
    """
    result = build(workspace, fmt, only, force, sign, converters, progress_wanted(as_json))
    root = workspace.resolve()
    if as_json:
        summary = {
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
    ws = load_checked(workspace)
    for warning in ws.warnings:
        click.echo(warning, err=True)
    click.echo(f"ok: {len(ws.documents)} documents valid")
    spots = {doc.id: len(open_spots(doc)) for doc in ws.documents.values()}
    if any(spots.values()):
        click.echo(f"open: {sum(spots.values())} spots to fill in or confirm (【请根据本企业实际填写：…】, 【请确认：…】) in "
                   f"{sum(1 for n in spots.values() if n)} documents; `dossier status --open` lists them")


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--company", default="示例医疗科技有限公司", show_default=True, help="Company name for the header.")
@click.option("--starter", metavar="NAME", help="Write a complete quality system instead (device-gmp-2025: the device GMP 2025 document set).")
@click.option("--address", default="", metavar="TEXT", help="Company address (with --starter).")
@click.option("--numbering", "prefix", default="", metavar="PREFIX", help="Prefix every document number (with --starter; SL- gives SL-QP-04).")
def init_command(directory: Path, company: str, starter: str | None, address: str, prefix: str) -> None:
    """Create a new workspace that builds: one procedure and one record form, or a whole starter set (--starter)."""
    today = date.today().isoformat()
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


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date YYYY-MM-DD, got {value!r}") from None


@cli.command("release")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--approved-by", required=True, metavar="NAME", help="Who approves this revision (批准).")
@click.option("--reason", required=True, metavar="TEXT", help="Why this revision is released (修订原因).")
@click.option("--effective", metavar="YYYY-MM-DD", help="Effective date (default: the document's, else today).")
@click.option("--minor", is_flag=True, help="Release the next minor revision of a released document (edition/numeric schemes).")
@click.option("--sign", multiple=True, metavar="PROFILE", help="Also archive a PDF signed with this profile (repeatable, in order).")
@click.option("--diff-summary", is_flag=True, help="Add the change summary against the previous release (dossier diff) to the revision history entry.")
@WORKSPACE_OPTION
def release_command(doc_id: str, approved_by: str, reason: str, effective: str | None, minor: bool,
                    sign: tuple[str, ...], diff_summary: bool, workspace: Path) -> None:
    """Release the working revision: archive its outputs and record it in the ledger."""
    result = release(workspace, doc_id, approved_by, reason, _date(effective), minor, sign=sign, diff_summary=diff_summary)
    entry = result.entry
    click.echo(f"released {entry.document} revision {entry.revision} (effective {entry.effective_date}); "
               f"ledger entry {entry.seq}; archived in {result.archive.relative_to(workspace.resolve())}")


@cli.command("revise")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--minor", is_flag=True, help="Minor revision (edition/numeric schemes).")
@click.option("--change", default="", metavar="TEXT", help="What the new revision changes (修订内容).")
@WORKSPACE_OPTION
def revise_command(doc_id: str, minor: bool, change: str, workspace: Path) -> None:
    """Start the next revision of a released document as a draft."""
    new = revise(workspace, doc_id, minor, change)
    click.echo(f"{doc_id}: revision {new} started as a draft")


@cli.command("obsolete")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--reason", required=True, metavar="TEXT", help="Why the document is withdrawn.")
@click.option("--approved-by", default="", metavar="NAME", help="Who approved the withdrawal.")
@WORKSPACE_OPTION
def obsolete_command(doc_id: str, reason: str, approved_by: str, workspace: Path) -> None:
    """Withdraw a document (作废); status then shows the end of its retention period."""
    entry = obsolete(workspace, doc_id, reason, approved_by)
    click.echo(f"withdrew {entry.document} (revision {entry.revision}) on {entry.effective_date}; ledger entry {entry.seq}")
    doc = load_workspace_or_fail(workspace).documents[doc_id]
    for copy in copies_to_recall(doc, [], withdrawn=True, in_force=None):
        click.echo(f"recall copy {copy['copy']} from {copy['holder']} ({copy['department'] or '-'}, issued {copy['issued']}); "
                   f"then record its withdrawn date in {doc.source_display}")


@cli.command("status")
@click.argument("doc_id", metavar="[DOC-ID]", required=False)
@WORKSPACE_OPTION
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--open", "open_only", is_flag=True, help="List the spots left to fill in or confirm (【请根据本企业实际填写：…】, 【请确认：…】) per document.")
def status_command(doc_id: str | None, workspace: Path, as_json: bool, open_only: bool) -> None:
    """Every document's revision, state, effective date, next review; or one document with where-used."""
    ws = load_workspace_or_fail(workspace)
    rows = workspace_status(ws, date.today())
    if open_only:
        for line in open_lines([r for r in rows if not doc_id or r["id"] == doc_id]):
            click.echo(line)
        return
    if doc_id:
        if doc_id not in ws.documents:
            raise UsageError(f"error: {doc_id}: no such document in {ws.config.content_dir}/")
        row = next(r for r in rows if r["id"] == doc_id)
        row["cited_by"] = where_used(ws, doc_id)
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False, indent=2, sort_keys=True))
            return
        for key in sorted(row):
            value = row[key]
            shown = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else ("-" if value is None else value)
            click.echo(f"{key}: {shown}")
        return
    from dossier.disinfectant.workspace import workspace_validity_warnings

    warnings = workspace_validity_warnings(ws.root, date.today())
    warnings += [message for row in rows for message in row["outdated_references"]]
    if as_json:
        click.echo(json.dumps({"documents": rows, "warnings": warnings}, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for line in status_lines(rows):
        click.echo(line)
    for warning in warnings:
        click.echo(f"warning: {warning}")


@cli.command("register")
@WORKSPACE
def register_command(workspace: Path) -> None:
    """Write the master list (受控文件清单) and distribution record (文件发放回收记录): docx, pdf, csv."""
    ws = load_workspace_or_fail(workspace)
    out = ws.config.build_path / "register"
    for path in write_register(ws, date.today(), out):
        click.echo(f"wrote {path.relative_to(ws.root)}")


def load_workspace_or_fail(workspace: Path) -> Workspace:
    """Load and validate (without the release-integrity check, which status reports as a flag)."""
    problems = Problems()
    ws = load_workspace(workspace, problems)
    validate_workspace(ws, problems)
    problems.raise_if_any()
    return ws




def main() -> None:
    """Console-script entry point."""
    cli(prog_name="dossier")
    sys.exit(0)
