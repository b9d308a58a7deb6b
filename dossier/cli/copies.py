"""`dossier issue`, `recall`, `destroy` and `review`: issued copies and periodic review (device GMP Art. 43).

Each prints what it recorded (ledger entry, file written) on one line; `issue` one line per copy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from dossier.actions.copies import destroy, issue, recall, review
from dossier.cli import WORKSPACE_OPTION
from dossier.cli.params import DATE
from dossier.control.ledger.entry import REVIEW_RESULTS

DATE_OPTION = click.option("--date", "day", type=DATE, help="The day it happened (default: today in the workspace's time zone).")


@click.command("issue")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--copy", "copies", multiple=True, type=click.IntRange(min=1), required=True, metavar="N",
              help="Copy number (发放号); repeatable when the holders come from distribution: or earlier issues.")
@click.option("--holder", metavar="NAME", help="Who receives the copy (领用人); default: its last holder, else distribution:.")
@click.option("--department", metavar="DEPT", help="The holder's department.")
@click.option("--by", required=True, metavar="NAME",
              help="Who issues it (发放人), as the distribution record names them; the ledger also records who ran the command (actor).")
@DATE_OPTION
@WORKSPACE_OPTION
def issue_command(doc_id: str, copies: tuple[int, ...], holder: str | None, department: str | None, by: str,
                  day: date | None, workspace: Path) -> None:
    """Issue copies of the released revision: stamped PDFs in build/copies/ and a ledger entry each."""
    root = workspace.resolve()
    for done in issue(workspace, doc_id, list(copies), by, holder, department, day):
        e = done.entry
        where = f"{e.holder}（{e.department}）" if e.department else e.holder
        click.echo(f"issued copy {e.copy} of {e.document} revision {e.revision} to {where} on {e.effective_date} by "
                   f"{e.performed_by}; "
                   f"ledger entry {e.seq}; {done.pdf.relative_to(root)}")


@click.command("recall")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--copy", type=click.IntRange(min=1), required=True, metavar="N", help="Copy number (发放号) returned.")
@click.option("--by", required=True, metavar="NAME",
              help="Who collected it (回收人), as the distribution record names them; the ledger also records who ran the command (actor).")
@click.option("--reason", metavar="TEXT", help="Why, when not an exchange or a withdrawal (e.g. 损坏, 遗失).")
@DATE_OPTION
@WORKSPACE_OPTION
def recall_command(doc_id: str, copy: int, by: str, reason: str | None, day: date | None, workspace: Path) -> None:
    """Record that an issued copy came back (回收)."""
    e = recall(workspace, doc_id, copy, by, day, reason)
    click.echo(f"returned copy {e.copy} of {e.document} revision {e.revision} on {e.effective_date}, collected by "
               f"{e.performed_by}; ledger entry {e.seq}")


@click.command("destroy")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--copy", type=click.IntRange(min=1), required=True, metavar="N", help="Copy number (发放号) destroyed.")
@click.option("--by", required=True, metavar="NAME", help="Who destroyed it (销毁人).")
@click.option("--witness", metavar="NAME", help="Who witnessed it (监销人).")
@click.option("--revision", metavar="REV", help="Which returned revision, when copies of several await destruction.")
@click.option("--reason", metavar="TEXT", help="Why (default: the revision was replaced, or the document withdrawn).")
@DATE_OPTION
@WORKSPACE_OPTION
def destroy_command(doc_id: str, copy: int, by: str, witness: str | None, revision: str | None, reason: str | None,
                    day: date | None, workspace: Path) -> None:
    """Record the destruction (销毁) of a returned copy."""
    e = destroy(workspace, doc_id, copy, by, witness, revision, day, reason)
    seen = f", witnessed by {e.witness}" if e.witness else ""
    click.echo(f"destroyed copy {e.copy} of {e.document} revision {e.revision} on {e.effective_date} by "
               f"{e.performed_by}{seen}; ledger entry {e.seq}")


@click.command("review")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--by", required=True, metavar="NAME", help="Who reviewed it (评审人).")
@click.option("--result", required=True, type=click.Choice(REVIEW_RESULTS),
              help="continue (继续有效: restarts the review interval), revise (需修订) or withdraw (应作废).")
@click.option("--note", metavar="TEXT", help="What the review found.")
@DATE_OPTION
@WORKSPACE_OPTION
def review_command(doc_id: str, by: str, result: str, note: str | None, day: date | None, workspace: Path) -> None:
    """Record a periodic review of the revision in force."""
    e = review(workspace, doc_id, by, result, note, day)
    click.echo(f"reviewed {e.document} revision {e.revision} on {e.effective_date}: {e.result}; ledger entry {e.seq}")
