"""The external-document register (外来文件清单, device GMP 2025 Art. 44): laws, regulations, standards.

Grammar of `external.yaml` at the workspace root (another file with `paths: {external: FILE}`):

```yaml
documents:
  - key: 公告2025年第107号          # how bodies cite it: [[公告2025年第107号]]; default: the number
    number: 国家药监局公告2025年第107号
    title: 医疗器械生产质量管理规范
    type: 规范性文件                 # 法律 | 行政法规 | 部门规章 | 规范性文件 | 国家标准 | 行业标准 | 药典 | 指导原则 | 其他
    issuer: 国家药品监督管理局
    year: 2025                      # year or version
    effective: "2026-11-01"
    status: current                 # current | superseded | withdrawn
    replaced_by: KEY                # required when superseded: the key of the entry that replaces it
```

The fields are declared once in `dossier.workspace.definitions.EXTERNAL_FILE` (the loader reads
with them; `dossier schema` writes them as `external.schema.json`).
A citation renders a standard as `number《title》` and anything else as `《title》（number）`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dossier.errors import Problems
from dossier.workspace.definitions import EXTERNAL_ENTRY, EXTERNAL_FILE
from dossier.workspace.definitions import EXTERNAL_STATUSES as STATUSES
from dossier.workspace.definitions import EXTERNAL_TYPES as TYPES
from dossier.workspace.fields import FieldReader
from dossier.workspace.yamlsrc import SourceMap, load_yaml

STANDARD_TYPES = ("国家标准", "行业标准")
STATUS_LABELS = {"current": "现行有效", "superseded": "已被替代", "withdrawn": "已废止"}
_KEY_FORBIDDEN = set("[]\n\r\t")


@dataclass(frozen=True)
class ExternalDocument:
    """One entry of the external-document register."""

    key: str
    number: str
    title: str
    type: str
    issuer: str
    year: str
    effective: date | None
    status: str
    replaced_by: str
    path: str
    line: int

    @property
    def citation(self) -> str:
        """How a body's [[KEY]] reads."""
        if self.type in STANDARD_TYPES:
            return f"{self.number}《{self.title}》"
        return f"《{self.title}》（{self.number}）"


def load_externals(root: Path, name: str, problems: Problems) -> dict[str, ExternalDocument]:
    """The register at `root/name` by key ({} when the file does not exist); problems name file, line and field."""
    path = root / name
    if not path.is_file():
        return {}
    data = load_yaml(path, problems, name)
    if data is None:
        return {}
    if not isinstance(data, SourceMap):
        problems.add(name, 1, "", "expected `documents:` with a list of external documents")
        return {}
    top = FieldReader(data, problems)
    top.unknown(EXTERNAL_FILE.names)
    found: dict[str, ExternalDocument] = {}
    prefixes: dict[str, str] = {}  # key -> the entry's field name in messages (documents[N].)
    for entry in top.items(EXTERNAL_FILE["documents"]):
        number = entry.read(EXTERNAL_ENTRY["number"])
        key = entry.read(EXTERNAL_ENTRY["key"]) or number
        status = entry.read(EXTERNAL_ENTRY["status"], default="current")
        if status not in STATUSES:
            entry.fail("status", f"expected one of {', '.join(STATUSES)}, got {status!r}")
        kind = entry.read(EXTERNAL_ENTRY["type"], default="其他")
        if kind not in TYPES:
            entry.fail("type", f"expected one of {'、'.join(TYPES)}, got {kind!r}")
        if key and (_KEY_FORBIDDEN & set(key) or key != key.strip()):
            entry.fail("key", f"{key!r} cannot be cited as [[{key}]] (no brackets, tabs or line breaks)")
        document = ExternalDocument(
            key=key, number=number, title=entry.read(EXTERNAL_ENTRY["title"]), type=kind, issuer=entry.read(EXTERNAL_ENTRY["issuer"]),
            year=entry.read(EXTERNAL_ENTRY["year"]), effective=entry.read(EXTERNAL_ENTRY["effective"]), status=status,
            replaced_by=entry.read(EXTERNAL_ENTRY["replaced_by"]), path=name, line=entry.mapping.line,
        )
        if not key:
            continue
        if key in found:
            entry.fail("key", f"{key} is already in the register (line {found[key].line})")
            continue
        found[key] = document
        prefixes[key] = entry.prefix
    for document in found.values():
        where = (name, document.line, f"{prefixes[document.key]}replaced_by")
        if document.replaced_by and document.replaced_by not in found:
            problems.add(*where, f"{document.replaced_by!r} is not a key of the register")
        elif document.replaced_by == document.key:
            problems.add(*where, "a document cannot replace itself")
        if document.status == "superseded" and not document.replaced_by:
            problems.add(*where, "is required when status is superseded (the key of the document that replaces it)")
    return found


def outdated_message(doc_id: str, cited: ExternalDocument, register: dict[str, ExternalDocument]) -> str:
    """'QP-04 cites 公告2014年第64号, superseded by 公告2025年第107号 on 2026-11-01: review QP-04'."""
    if cited.status == "withdrawn":
        what = "withdrawn"
        if cited.replaced_by:
            what += f", replaced by {cited.replaced_by}"
    else:
        replacement = register.get(cited.replaced_by)
        what = f"superseded by {cited.replaced_by}" if cited.replaced_by else "superseded"  # no replaced_by: an error of its own
        if replacement is not None and replacement.effective:
            what += f" on {replacement.effective.isoformat()}"
    return f"{doc_id} cites {cited.key}, {what}: review {doc_id}"
