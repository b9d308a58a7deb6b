"""Rules for what documents declare about the regulation: `covers`, the Art. 130 list, record types, `{coverage}` blocks."""

from __future__ import annotations

from dossier.coverage.declarations import Declarations, read_declarations
from dossier.coverage.records import check_record_type
from dossier.coverage.table import DIRECTIVE, parse_options
from dossier.errors import Problems
from dossier.markdown import fenced_blocks
from dossier.workspace.fields import FieldReader
from dossier.workspace.model import Document, Workspace

RECORD_KIND = "record_form"


def _check_blocks(doc: Document, decl: Declarations, problems: Problems) -> None:
    """Every `{coverage}` block's options are known and name a rule set the workspace checks."""
    for line, content in fenced_blocks(doc.body, DIRECTIVE):
        options, found = parse_options(content)
        for offset, message in found:
            problems.add(doc.body_source, doc.body_line_offset + line + offset + 2, "body", message)
        if options.rules and options.rules not in decl.rules:
            problems.add(doc.body_source, doc.body_line_offset + line + 1, "body",
                         f"{{coverage}} block: rule set {options.rules} is not checked by this workspace "
                         f"(coverage.rules in dossier.yaml: {', '.join(decl.rules)})")


def validate_coverage(ws: Workspace, problems: Problems) -> Declarations:
    """The declarations of the workspace, with every problem in them recorded."""
    decl = read_declarations(ws, problems)
    for doc in ws.documents.values():
        if doc.raw.get("record_type") is not None:
            if doc.kind == RECORD_KIND:
                check_record_type(doc, decl.rules, problems)
            else:
                FieldReader(doc.raw, problems).fail("record_type", "only record forms (kind: record_form) have a record type")
        _check_blocks(doc, decl, problems)
    return decl
