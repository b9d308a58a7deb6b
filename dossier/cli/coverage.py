"""`dossier coverage`: which articles of a rule set the workspace's documents meet (a gate for CI)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dossier.actions.coverage import STATUS_LABELS, coverage_of, failing_lines, write_coverage
from dossier.errors import EXIT_FAILED
from dossier.pipeline.load import load_checked


@click.command("coverage")
@click.argument("workspace", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--rules", "rules_id", metavar="RULE-SET", help="Rule set to check (default: the workspace's first, device-gmp-2025).")
@click.option("--json", "as_json", is_flag=True, help="Print the matrix as JSON.")
@click.option("--no-files", is_flag=True, help="Do not write build/coverage/<rule set>.docx/.pdf/.csv.")
@click.pass_context
def coverage_command(ctx: click.Context, workspace: Path, rules_id: str | None, as_json: bool, no_files: bool) -> None:
    """Each article, its status (covered, not_applicable, gap, informative) and the documents meeting it.

    Exit status 1 when an article that requires a document is a gap or is covered only by drafts
    or withdrawn documents; the matrix is also written to build/coverage/ (.docx, .pdf, .csv).
    """
    ws = load_checked(workspace, released_unchanged=False, settings=False)
    today = ws.config.today()
    matrix = coverage_of(ws, rules_id, today)
    written = [] if no_files else write_coverage(ws, matrix, today, ws.config.build_path / "coverage")
    summary = matrix.summary()
    if as_json:
        click.echo(json.dumps(matrix.as_dict(), ensure_ascii=False, indent=2))
    else:
        for row in matrix.rows:
            documents = ", ".join(c.document.id + ("" if c.counts else f"({c.document.state})") for c in row.documents)
            detail = row.exclusion.reason if row.exclusion else documents or "-"
            click.echo(f"{str(row.article.number):>4} {row.status:<14} {detail}")
        for path in written:
            click.echo(f"wrote {path.relative_to(ws.root)}")
        click.echo(f"{matrix.rules.id}: {summary['articles']} articles: " + ", ".join(
            f"{summary[status]} {STATUS_LABELS[status]} ({status})" for status in STATUS_LABELS)
            + f"; {summary['requiring_documents_met']} of {summary['requiring_documents']} articles requiring a document met")
        confirm = summary["not_applicable_to_confirm"]
        if confirm:
            click.echo(f"note: {len(confirm)} articles are declared not applicable with `review: true` "
                       f"({', '.join(map(str, confirm))}): confirm each reason, then remove `review`")
    for line in failing_lines(matrix):
        click.echo(line, err=True)
    if matrix.failing:
        ctx.exit(EXIT_FAILED)
