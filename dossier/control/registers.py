"""The rows of the document-control registers: master list, drafts, distribution and destruction records.

Device GMP 2025 Art. 43(1): the distribution, replacement, withdrawal and destruction records;
43(2)-(3): the master list of the revisions in force. Only released documents are controlled:
the master list (受控文件清单) lists documents with a revision in force or approved and awaiting
its date, never drafts or withdrawn documents; drafts go to their own list when asked for. The
distribution record (文件发放回收记录) has one row per issue, with the revision issued; the
destruction record (文件销毁记录) one row per destroyed copy. Wording and columns: forms.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dossier.control.controls import archived_title, ledger_of
from dossier.control.forms import RegisterForm, register_form
from dossier.control.ledger import queries as ledger_queries
from dossier.control.status import workspace_status
from dossier.workspace.model import Workspace

STATE_LABELS = {"draft": "草稿", "approved": "已批准待生效", "effective": "现行有效", "superseded": "已替代", "obsolete": "已作废"}


@dataclass(frozen=True)
class Register:
    """One register ready to write: its form, the form number printed on it, and its table rows."""

    form: RegisterForm
    number: str
    rows: list[list[str]]

    @property
    def name(self) -> str:
        """The register's file name stem (`master-list`, `distribution`, …)."""
        return self.form.name


def _table(ws: Workspace, name: str, rows: list[dict[str, Any]]) -> Register:
    form = register_form(name)
    number = ws.config.register_numbers.get(name, form.number)
    return Register(form, number, [form.cells(i, row) for i, row in enumerate(rows, start=1)])


def build_registers(ws: Workspace, today: date, drafts: bool = False) -> list[Register]:
    """The master list, the distribution and destruction records, and (with `drafts`) the drafts list."""
    entries = ledger_of(ws).entries()
    status = workspace_status(ws, today)
    master, unreleased, issued, destroyed = [], [], [], []
    for row in status:
        doc = ws.documents[row["id"]]
        releases = ledger_queries.releases(entries, doc.id)
        live = [rev for rev, state in row["revisions"].items() if state in ("effective", "approved")]
        title_of = {r.revision: archived_title(ws, doc.id, r.revision) or doc.title for r in releases}
        if live:
            revision = row["in_force"] or live[-1]
            release = next(r for r in releases if r.revision == revision)
            master.append({"number": doc.number, "title": title_of[revision], "kind": doc.kind_label, "revision": revision,
                           "state": STATE_LABELS[row["revisions"][revision]], "effective": release.effective_date,
                           "department": doc.department, "next_review": row["next_review"],
                           "copies_out": sum(1 for c in row["copies"] if not c["returned"] and not c["destroyed"])})
        if row["state"] == "draft":
            unreleased.append({"number": doc.number, "title": doc.title, "kind": doc.kind_label, "revision": doc.revision,
                               "in_force": row["in_force"], "department": doc.department, "change": doc.change,
                               "prepared_by": doc.prepared_by.name if doc.prepared_by else None})
        for copy in row["copies"]:
            record = {**copy, "number": doc.number, "title": title_of.get(copy["revision"], doc.title),
                      "copy": f"{copy['copy']:02d}"}
            issued.append(record)
            if copy["destroyed"]:
                destroyed.append({**record, "reason": copy["destroy_reason"]})
    issued.sort(key=lambda r: (r["number"], r["issued"] or ""))  # stable: issues of one day in ledger order
    destroyed.sort(key=lambda r: (r["destroyed"], r["number"], r["copy"]))
    tables = [_table(ws, "master-list", master), _table(ws, "distribution", issued), _table(ws, "destruction", destroyed)]
    if drafts:
        tables.append(_table(ws, "drafts", unreleased))
    return tables
