"""`dossier status`: the table of every document, one document as readable text, or what is due.

JSON only with `--json`; the text is for people (dates YYYY-MM-DD, one fact per line).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from dossier.cli import WORKSPACE_OPTION, load_workspace_or_fail
from dossier.cli.params import DATE
from dossier.control.controls import ledger_of
from dossier.control.status import due_rows, predates_lines, where_used, workspace_status
from dossier.control.validation_status import plan_lines, plan_status, validation_warnings
from dossier.errors import UsageError

RESULT_WORDS = {"continue": "继续有效 (continue)", "revise": "需修订 (revise)", "withdraw": "应作废 (withdraw)"}


def table_lines(rows: list[dict[str, Any]]) -> list[str]:
    """One line per document: revision, state, in force, effective date, next review, flags, title."""
    header = f"{'document':<10} {'rev':<5} {'state':<10} {'in force':<8} {'effective':<10} {'next review':<11} flags  title"
    lines = [header]
    for r in rows:
        flags = []
        if r["review_overdue"]:
            flags.append("REVIEW-OVERDUE")
        if r["last_review"] and r["last_review"]["result"] != "continue" and r["in_force"]:
            flags.append(r["last_review"]["result"].upper())
        if r["changed_since_release"]:
            flags.append("CHANGED")
        if r.get("predates"):
            flags.append("NEW-TEMPLATE/CONFIG")
        if r["copies_to_recall"]:
            word = "RECALL" if r["recall_because"] == "withdrawn" else "EXCHANGE"
            flags.append(f"{word}-{len(r['copies_to_recall'])}")
        if r["outdated_references"]:
            flags.append("OUTDATED-REF")
        if r["open"]:
            flags.append(f"OPEN-{len(r['open'])}")
        if r["retention_until"]:
            flags.append(f"retain-until {r['retention_until']}")
        lines.append(
            f"{r['id']:<10} {r['revision']:<5} {r['state']:<10} {r['in_force'] or '-':<8} {r['effective_date'] or '-':<10} "
            f"{r['next_review'] or '-':<11} {' '.join(flags) or '-':<6} {r['title']}"
        )
    return lines


def open_json(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """`status --open --json`: {"open": [{"id", "title", "spots": [{"file", "line", "text"}]}], "total": int}."""
    found = [{"id": r["id"], "title": r["title"], "spots": r["open"]} for r in rows if r["open"]]
    return {"open": found, "total": sum(len(r["spots"]) for r in found)}


def open_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The spots each document leaves to fill in or confirm, one line each under a line per document."""
    lines = []
    for r in rows:
        if r["open"]:
            lines.append(f"{r['id']}: {len(r['open'])} open ({r['title']})")
            lines.extend(f"  {spot['file']}:{spot['line']}: {spot['text']}" for spot in r["open"])
    total = sum(len(r["open"]) for r in rows)
    documents = sum(1 for r in rows if r["open"])
    lines.append(f"{total} open spot{'s' if total != 1 else ''} in {documents} document{'s' if documents != 1 else ''}")
    return lines


def _copy(c: dict[str, Any]) -> str:
    where = f"{c['holder']}（{c['department']}）" if c["department"] else c["holder"]
    return f"copy {c['copy']} revision {c['revision']}, {where}, issued {c['issued']}"


def document_lines(row: dict[str, Any]) -> list[str]:
    """One document as labelled lines (label, then value; lists continue on indented lines)."""
    revisions = []
    for rev, state in row["revisions"].items():
        kept = row["retention"].get(rev)
        revisions.append(f"{rev} {state}" + (f", retain until {kept}" if kept else ""))
    review = row["next_review"] or "-"
    if row["review_overdue"]:
        review += " (overdue)"
    last = row["last_review"]
    recall_word = "to recall" if row["recall_because"] == "withdrawn" else "to exchange"
    facts: list[tuple[str, list[str]]] = [
        ("revision", [f"{row['revision']} ({row['state']})" + ("; changed since release: " + ", ".join(row["changes"])
                                                              if row["changed_since_release"] else "")]),
        ("in force", [f"{row['in_force']} since {row['in_force_since']}" if row["in_force"] else "-"]),
        ("revisions", revisions),
        ("next review", [review]),
        ("last review", [f"{last['date']} by {last['by']}: {RESULT_WORDS.get(last['result'], last['result'])}"
                         + (f" — {last['note']}" if last["note"] else "")] if last else ["-"]),
        ("withdrawn", [f"{row['withdrawn_on']}: {row['withdrawal_reason']}, retain until {row['retention_until']}"]
         if row["withdrawn_on"] else ["-"]),
        ("copies out", [_copy(c) for c in row["copies"] if not c["returned"] and not c["destroyed"]] or ["-"]),
        (recall_word, [_copy(c) for c in row["copies_to_recall"]] or ["-"]),
        ("awaiting destruction", [f"{_copy(c)}, returned {c['returned']}" for c in row["awaiting_destruction"]] or ["-"]),
        ("cited by", [", ".join(row["cited_by"]) or "-"]),
        ("outdated refs", row["outdated_references"] or ["-"]),
        ("open spots", [f"{spot['file']}:{spot['line']}: {spot['text']}" for spot in row["open"]] or ["-"]),
    ]
    if row.get("predates"):
        facts.insert(1, ("predates", [f"a change of {', '.join(row['predates'])} (applies at the next revision)"]))
    width = max(len(label) for label, _ in facts) + 2
    lines = [f"{row['id']} {row['title']}（{row['kind_label']}" + (f"，{row['department']}" if row["department"] else "") + "）"]
    for label, values in facts:
        lines.append(f"{label + ':':<{width}}{values[0]}")
        lines.extend(f"{'':<{width}}{value}" for value in values[1:])
    return lines


def due_lines(due: list[dict[str, Any]], today: date) -> list[str]:
    """The candidates for destruction, one per line; a line saying so when there are none."""
    if not due:
        return [f"nothing due: no revision's retention has ended by {today}"]
    lines = [f"retention ended by {today} (candidates for destruction, with a record):"]
    for d in due:
        what = f"copy {d['copy']} (returned)" if d["copy"] is not None else "archived revision"
        lines.append(f"  {d['document']} revision {d['revision']}: {what}, retention ended {d['retention_until']}")
    return lines


@click.command("status")
@click.argument("doc_id", metavar="[DOC-ID]", required=False)
@WORKSPACE_OPTION
@click.option("--due", is_flag=True, help="List the revisions and returned copies whose retention has ended.")
@click.option("--today", type=DATE, help="Report as of this day (default: today in the workspace's time zone).")
@click.option("--open", "open_only", is_flag=True,
              help="List the spots left to fill in or confirm (【请根据本企业实际填写：…】, 【请确认：…】) per document.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status_command(doc_id: str | None, workspace: Path, due: bool, today: date | None, open_only: bool, as_json: bool) -> None:
    """Every document's revision, state, next review and flags, and each validation plan object's state and
    next due date; one document in full; what is due; or the spots left open (--open)."""
    ws = load_workspace_or_fail(workspace)
    when = today or ws.config.today()
    if doc_id and doc_id not in ws.documents:
        raise UsageError(ws.no_such_document(doc_id))
    rows = workspace_status(ws, when)
    if doc_id:
        rows = [r for r in rows if r["id"] == doc_id]
    if open_only and due:
        raise UsageError("error: --open, --due: choose one (see dossier status --help)")
    if open_only:
        click.echo(json.dumps(open_json(rows), ensure_ascii=False, indent=2, sort_keys=True) if as_json
                   else "\n".join(open_lines(rows)))
        return
    if due:
        found = due_rows(rows, when)
        click.echo(json.dumps({"due": found}, ensure_ascii=False, indent=2, sort_keys=True) if as_json
                   else "\n".join(due_lines(found, when)))
        return
    if doc_id:
        row = rows[0]
        row["cited_by"] = where_used(ws, doc_id)
        click.echo(json.dumps(row, ensure_ascii=False, indent=2, sort_keys=True) if as_json else "\n".join(document_lines(row)))
        return
    from dossier.disinfectant.workspace import workspace_validity_warnings

    entries = ledger_of(ws).entries()
    objects = plan_status(ws, entries, when)
    warnings = workspace_validity_warnings(ws.root, when) + [str(w) for w in validation_warnings(ws, entries)]
    warnings += [message for row in rows for message in row["outdated_references"]]
    if as_json:
        click.echo(json.dumps({"documents": rows, "validation": [o.as_dict() for o in objects], "warnings": warnings},
                              ensure_ascii=False, indent=2, sort_keys=True))
        return
    for line in table_lines(rows) + predates_lines(rows):
        click.echo(line)
    if objects:
        click.echo("")
        for line in plan_lines(objects):
            click.echo(line)
    for warning in warnings:
        click.echo(f"warning: {warning}")
