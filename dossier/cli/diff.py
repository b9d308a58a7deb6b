"""`dossier diff DOC-ID`: redline (.docx with tracked changes, and its PDF) and change summary.

Writes `build/diff/ID_FROM_TO.docx` and `.pdf` (TO is a revision or `working`; `A/1` is
written `A-1`). The PDF is LibreOffice's rendering of the redline, which shows insertions
underlined and deletions struck through in the author's colour, with change bars.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import click

from dossier.actions.diff import WORKING, compare, write_redline
from dossier.redline.summary import summary

DIFF_DIR = "diff"
SHOWN_CHARS = 60  # paragraph text shown per line in the printed summary


def _short(text: Any) -> str:
    flat = re.sub(r"[ \t\r\n]+", " ", str(text)).strip()  # the ideographic space of 第一章\u3000 stays
    return flat if len(flat) <= SHOWN_CHARS else flat[:SHOWN_CHARS] + "…"


def summary_lines(data: dict[str, Any]) -> list[str]:
    """The change summary as readable lines."""
    to = data["to"]["revision"] + (" (working draft)" if data["to"]["source"] == "working draft" else "")
    lines = [f"{data['document']} {data['title']}: {data['from']['revision']} -> {to}, "
             f"changes by {data['author']}" + (f" on {data['date']}" if data["date"] else "")]
    if data["sections"]:
        lines.append("sections: " + ", ".join(data["sections"]))
    for action, entries in data["paragraphs"].items():
        for entry in entries:
            if action == "renumbered":
                lines.append(f"  heading renumbered: {_short(entry['old'])} -> {_short(entry['new'])}")
                continue
            shown = entry["diff"] if action == "changed" else entry["text"]
            if "old" in entry and action == "moved":
                shown = f"{_short(entry['old'])} -> {entry['text']}"
            lines.append(f"  paragraph {action} [{entry['section']}]: {_short(shown)}")
    for action, entries in data["table_rows"].items():
        for entry in entries:
            cells = " | ".join(entry["new"]) if action == "changed" else " | ".join(entry["cells"])
            lines.append(f"  table row {action} [{entry['section']}] ({_short(entry['table'])}): {_short(cells)}")
    if data["fields"] is None:
        lines.append("  fields: not compared (a revision has no archived YAML)")
    else:
        for action, entries in data["fields"].items():
            for entry in entries:
                shown = [_short(json.dumps(entry[side], ensure_ascii=False)) for side in ("old", "new") if side in entry]
                lines.append(f"  field {action} {entry['field']}: {' -> '.join(shown)}")
    counts = data["counts"]
    renumbered = counts.get("paragraphs_renumbered", 0)
    lines.append(f"{sum(v for k, v in counts.items() if k.startswith('paragraphs_')) - renumbered} paragraph(s), "
                 f"{sum(v for k, v in counts.items() if k.startswith('table_rows_'))} table row(s), "
                 f"{counts['fields']} field(s) changed" + (f"; {renumbered} heading(s) renumbered" if renumbered else ""))
    return lines


@click.command("diff")
@click.argument("doc_id", metavar="DOC-ID")
@click.option("--from", "from_rev", metavar="REV", help="Older revision (default: the release before --to).")
@click.option("--to", "to_rev", metavar="REV|working", default=WORKING, show_default=True,
              help="Newer revision: a released one, or the working draft.")
@click.option("--author", metavar="NAME", help="Name on the tracked changes (default: the newer revision's prepared_by).")
@click.option("--json", "as_json", is_flag=True, help="Print the change summary as JSON.")
@click.option("--no-pdf", is_flag=True, help="Write only the redline .docx (no LibreOffice).")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/diff in the workspace).")
@click.option("--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=".", show_default=True)
def diff_command(doc_id: str, from_rev: str | None, to_rev: str, author: str | None, as_json: bool, no_pdf: bool,
                 out_dir: Path | None, workspace: Path) -> None:
    """Redline between two revisions: tracked-changes .docx, its PDF, and a change summary."""
    comparison = compare(workspace, doc_id, from_rev, to_rev, author)
    root = workspace.resolve()
    target = out_dir if out_dir is not None else comparison.build_dir / DIFF_DIR
    written = write_redline(comparison, target, pdf=not no_pdf)
    data = summary(comparison)
    data["outputs"] = {suffix: _shown(path, root) for suffix, path in written.items()}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for line in summary_lines(data):
        click.echo(line)
    click.echo("wrote " + ", ".join(data["outputs"].values()))


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
