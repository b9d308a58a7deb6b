"""The coverage matrix of a workspace on a day (device GMP 2025): the one both `dossier coverage` and the site show.

Each document is seen in the state `dossier status` gives it (a revision in force counts as
`effective`); `coverage_of` reads the declarations (`covers:`, `coverage:`) and builds the matrix
of a rule set (`dossier.coverage.matrix`).
"""

from __future__ import annotations

from datetime import date

from dossier.control.status import workspace_status
from dossier.coverage.catalogue import load_rules
from dossier.coverage.declarations import Declarations, read_declarations
from dossier.coverage.matrix import DocumentInfo, Matrix, coverage_matrix
from dossier.errors import Problems, UsageError
from dossier.workspace.model import Workspace


def document_infos(ws: Workspace, today: date) -> dict[str, DocumentInfo]:
    """Every document as the matrix sees it: `effective` when a revision is in force, else its working revision's state."""
    infos = {}
    for row in workspace_status(ws, today):
        doc = ws.documents[row["id"]]
        state = "effective" if row["in_force"] else row["state"]  # withdrawn: obsolete
        revision = row["in_force"] or row["revision"]
        infos[doc.id] = DocumentInfo(doc.id, doc.title, revision, doc.kind, doc.kind_label, state)
    return infos


def declarations_of(ws: Workspace) -> Declarations:
    """The workspace's coverage declarations; input problems raise `InputProblems` (file, line, field)."""
    problems = Problems()
    decl = read_declarations(ws, problems)
    problems.raise_if_any()
    return decl


def coverage_of(ws: Workspace, rules_id: str | None, today: date) -> Matrix:
    """The matrix of `rules_id` (default: the workspace's first rule set); a rule set the workspace does not check is a usage error."""
    decl = declarations_of(ws)
    rules_id = rules_id or decl.primary
    load_rules(rules_id)  # an unknown name is a usage error naming the known ones
    if rules_id not in decl.rules:
        raise UsageError(f"error: --rules {rules_id}: this workspace checks {', '.join(decl.rules)} (coverage.rules in dossier.yaml)")
    return coverage_matrix(load_rules(rules_id), decl, document_infos(ws, today))
