"""The sections a kind's YAML blocks add before the Markdown body, as Markdown.

A protocol's Art. 76 elements (its 接收准则 as a table saying how each criterion is judged), a
report's evaluation against its protocol (`dossier.validation`), a plan's objects. Each
function returns (Markdown, the YAML line its block starts on) or None when the document has
nothing to add.
"""

from __future__ import annotations

from collections.abc import Callable

from dossier.validation.criteria import criteria_of
from dossier.validation.plan import plan_objects
from dossier.validation.sources import ProtocolSource, protocol_source, report_evaluation
from dossier.validation.text import criteria_markdown, plan_markdown, report_markdown
from dossier.workspace.kinds import ART76_ELEMENTS
from dossier.workspace.model import Document, Workspace
from dossier.workspace.yamlsrc import SourceMap

EMPTY = "—"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def validation_markdown(validation: dict) -> str:
    """The Art. 76 elements of a validation protocol as Markdown sections, in the rule's order."""
    parts = []
    if validation.get("purpose"):
        parts.append(f"# 目的\n\n{validation['purpose']}")
    parts.append(f"# {ART76_ELEMENTS['object']}\n\n{validation.get('object', '')}")
    rows = ["| 部门 | 人员 | 职责 |", "|---|---|---|"]
    for entry in validation.get("responsibilities") or []:
        rows.append(f"| {_cell(entry.get('department', ''))} | {_cell(entry.get('person', '') or EMPTY)} | {_cell(entry.get('duties', ''))} |")
    parts.append(f"# {ART76_ELEMENTS['responsibilities']}\n\n" + "\n".join(rows))
    for key in ("environment", "method", "sampling"):
        parts.append(f"# {ART76_ELEMENTS[key]}\n\n{validation.get(key, '')}")
    return "\n\n".join(parts) + "\n\n" + criteria_markdown(criteria_of(validation), ART76_ELEMENTS["acceptance_criteria"])


def _protocol(ws: Workspace, doc: Document) -> tuple[str, int] | None:
    if not isinstance(doc.validation, SourceMap):
        return None
    return validation_markdown(doc.validation), doc.validation.line


def _report(ws: Workspace, doc: Document) -> tuple[str, int] | None:
    block = doc.raw.get("report")
    result = report_evaluation(ws, doc)
    if result is None or not isinstance(block, SourceMap):
        return None
    source = protocol_source(ws, result.protocol, result.revision)
    title = source.title if isinstance(source, ProtocolSource) else result.protocol
    return report_markdown(result, title), block.line


def _plan(ws: Workspace, doc: Document) -> tuple[str, int] | None:
    block = doc.raw.get("plan")
    if not isinstance(block, SourceMap):
        return None
    return plan_markdown(plan_objects(doc.raw)), block.line


# YAML block (DocumentKind.fields) -> its generated sections
SECTIONS: dict[str, Callable[[Workspace, Document], tuple[str, int] | None]] = {
    "validation": _protocol,
    "report": _report,
    "plan": _plan,
}
