"""The rows of the document-control registers: master list, drafts, distribution and destruction records.

Device GMP 2025 Art. 43(1): the distribution, replacement, withdrawal and destruction records;
43(2)-(3): the master list of the revisions in force. Only released documents are controlled:
the master list (受控文件清单) lists documents with a revision in force or approved and awaiting
its date, never drafts or withdrawn documents; drafts go to their own list when asked for. The
distribution record (文件发放回收记录) has one row per issue, with the revision issued; the
destruction record (文件销毁记录) one row per destroyed copy. Art. 44: the list of external
documents (外来文件清单) of the workspace's external-document register, with the documents citing
each, when the workspace keeps one. Wording and columns: forms.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from dossier.control.controls import archived_title, ledger_of
from dossier.control.forms import RegisterForm, register_form
from dossier.control.ledger import queries as ledger_queries
from dossier.control.status import workspace_status
from dossier.markdown.queries import cited_externals
from dossier.workspace.external import STATUS_LABELS as EXTERNAL_STATUS
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


def external_rows(ws: Workspace) -> list[dict[str, Any]]:
    """One row per entry of the external-document register (Art. 44), with the documents citing it."""
    citing: dict[str, list[str]] = {}
    for doc in ws.documents.values():
        for key in cited_externals(ws, doc):
            citing.setdefault(key, []).append(doc.id)
    return [{"number": entry.number, "title": entry.title, "type": entry.type, "issuer": entry.issuer, "year": entry.year,
             "effective": entry.effective.isoformat() if entry.effective else None,
             "status": EXTERNAL_STATUS[entry.status] + (f"（由 {entry.replaced_by} 替代）" if entry.replaced_by else ""),
             "cited_by": "、".join(citing.get(entry.key, []))}
            for entry in ws.externals.values()]


def build_registers(ws: Workspace, today: date, drafts: bool = False) -> list[Register]:
    """The master list, the distribution and destruction records, (with `drafts`) the drafts list, and the
    list of external documents when the workspace keeps a register of them."""
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
    if ws.externals:
        tables.append(_table(ws, "external", external_rows(ws)))
    return tables
