"""The `dossier` command line: one click group, every error printed as one line per problem."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from dossier import __version__
from dossier.build import FORMATS, build, load_checked
from dossier.disinfectant.cli import disinfectant
from dossier.errors import DossierError
from dossier.scaffold import init_workspace
from dossier.signing.cli import sign_command, verify_command


class DossierGroup(click.Group):
    """Click group that turns DossierError into stderr lines and its exit code (no traceback)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DossierError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)


WORKSPACE = click.argument("workspace", type=click.Path(file_okay=False, path_type=Path), default=".")


@click.group(cls=DossierGroup)
@click.version_option(__version__, prog_name="dossier")
def cli() -> None:
    """Build controlled regulatory documents from YAML + Markdown."""


@cli.command("build")
@WORKSPACE
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="all", show_default=True, help="Outputs to write.")
@click.option("--only", multiple=True, metavar="DOC-ID", help="Build only this document (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
def build_command(workspace: Path, fmt: str, only: tuple[str, ...], as_json: bool) -> None:
    """Render every document to .docx and .pdf under build/ and write build/manifest.json."""
    result = build(workspace, fmt, only)
    root = workspace.resolve()
    if as_json:
        summary = {
            "documents": {doc_id: {k: str(p.relative_to(root)) for k, p in files.items()} for doc_id, files in result.outputs.items()},
            "manifest": str(result.manifest.relative_to(root)) if result.manifest else None,
        }
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=True))
        return
    for doc_id, files in result.outputs.items():
        click.echo(f"built {doc_id}: " + ", ".join(str(p.relative_to(root)) for p in files.values()))
    click.echo(f"{len(result.outputs)} documents built; manifest {result.manifest.relative_to(root)}")


@cli.command("check")
@WORKSPACE
def check_command(workspace: Path) -> None:
    """Validate every input without rendering (exit 2 and one line per problem when invalid)."""
    ws = load_checked(workspace)
    click.echo(f"ok: {len(ws.documents)} documents valid")


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--company", default="示例医疗科技有限公司", show_default=True, help="Company name for the header.")
def init_command(directory: Path, company: str) -> None:
    """Create a new workspace (config, one procedure, one record form) that builds."""
    for path in init_workspace(directory, company, date.today().isoformat()):
        click.echo(f"created {path}")


cli.add_command(disinfectant)
cli.add_command(sign_command)
cli.add_command(verify_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="dossier")
    sys.exit(0)
