"""`dossier qualify`: the validation pack of dossier itself (GMP 2025 Art. 77), run on this machine."""

from __future__ import annotations

from pathlib import Path

import click

from dossier.errors import CheckFailed, ToolError
from dossier.qualify.record import CheckResult


@click.command("qualify")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default="qualification", required=False)
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The company's workspace: its name, fonts and converters are checked, its ledger's versions listed.")
@click.option("--keep-scratch", is_flag=True, help="Keep the scratch workspace the OQ ran in (its path is in the report).")
def qualify_command(directory: Path, workspace: Path | None, keep_scratch: bool) -> None:
    """Installation and operational qualification of dossier on this machine: 软件确认报告 (.docx, .pdf) in DIRECTORY.

    Exit 1 when a check fails (each named), 3 when the report's PDF cannot be made.
    """
    from dossier.qualify.run import qualify

    def show(result: CheckResult) -> None:
        click.echo(f"{result.id} {result.status:<7} {result.summary}")

    outcome = qualify(directory, workspace, keep_scratch, show)
    for path in outcome.written:
        if path.suffix in (".docx", ".pdf", ".json"):
            click.echo(f"wrote {path}")
    failed = [r for r in outcome.results if not r.passed]
    if failed:
        raise CheckFailed([f"failed: {r.id} {r.summary}" for r in failed])
    if outcome.pdf_problem:
        raise ToolError(f"error: {directory}/qualification-report.pdf not written: {outcome.pdf_problem}")
