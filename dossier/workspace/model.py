"""The in-memory index of a workspace: its configuration and its documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dossier.errors import UsageError
from dossier.workspace.external import ExternalDocument
from dossier.workspace.kinds import (  # noqa: F401
    DEFAULT_NUMBERING,
    DEFAULT_RETENTION_YEARS,
    DEFAULT_REVIEW_MONTHS,
    KIND_LABELS,
    KINDS,
    DocumentKind,
)


@dataclass(frozen=True)
class Signoff:
    """One line of the approval block: who signed and when."""

    name: str
    date: date | None


@dataclass
class Config:
    """Workspace settings from dossier.yaml."""

    root: Path
    company_name: str
    company_address: str = ""
    revision_scheme: str = "letters"
    numbering: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_NUMBERING))
    review_interval_months: dict[str, int] = field(default_factory=lambda: {"default": DEFAULT_REVIEW_MONTHS})
    retention_years: dict[str, int] = field(default_factory=lambda: {"default": DEFAULT_RETENTION_YEARS})
    content_dir: str = "content"
    templates_dir: str = "templates"
    build_dir: str = "build"
    releases_dir: str = "releases"
    ledger_file: str = "ledger.jsonl"
    external_file: str = "external.yaml"  # the external-document register (Art. 44)
    converters: list[str] = field(default_factory=list)
    # faces chosen in `fonts:`: {"": workspace-wide, kind: per kind}, each {role: face}
    fonts: dict[str, dict[str, str]] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def build_path(self) -> Path:
        """Absolute build directory."""
        return self.root / self.build_dir

    def font_choices(self, kind: str) -> dict[str, str]:
        """The faces the workspace chose for `kind` ({role: face}; roles not chosen are absent)."""
        return {**self.fonts.get("", {}), **self.fonts.get(kind, {})}

    def per_kind(self, table: dict[str, int], kind: str) -> int:
        """A per-kind setting with its `default`."""
        return table.get(kind, table["default"])


@dataclass
class Document:
    """One controlled document as loaded from content/<ID>.yaml (+ its Markdown body)."""

    id: str
    kind: str
    title: str
    revision: str
    source: Path  # the YAML file
    source_display: str
    effective_date: date | None = None
    department: str = ""
    prepared_by: Signoff | None = None
    reviewed_by: Signoff | None = None
    approved_by: Signoff | None = None
    change: str = ""
    body: str = ""
    body_source: str = ""  # file shown in messages for body lines
    body_line_offset: int = 0  # add to 0-based Markdown line numbers
    distribution: list[dict[str, Any]] = field(default_factory=list)
    form: dict[str, Any] | None = None
    validation: dict[str, Any] | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> str:
        """The document number printed on the document (its id)."""
        return self.id

    @property
    def kind_info(self) -> DocumentKind:
        """The document's kind (label, numbering, template, blocks)."""
        return KINDS[self.kind]

    @property
    def kind_label(self) -> str:
        """Chinese name of the document kind."""
        return KINDS[self.kind].label


@dataclass
class Workspace:
    """Everything `dossier` knows about one workspace: one index shared by every step."""

    config: Config
    documents: dict[str, Document]
    # ids (file names) of document files that could not be loaded: their problems are reported
    # already, so citing them is not reported again as "unknown document"
    unreadable: set[str] = field(default_factory=set)
    # the external-document register by citation key (laws, regulations, standards; Art. 44)
    externals: dict[str, ExternalDocument] = field(default_factory=dict)
    # `warning: …` lines of the checks (they do not change the exit status)
    warnings: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        """The workspace directory."""
        return self.config.root

    def document(self, doc_id: str, option: str = "") -> Document:
        """The document `doc_id`; UsageError naming the option it came from when there is none."""
        if doc_id not in self.documents:
            raise UsageError(self.no_such_document(doc_id, option))
        return self.documents[doc_id]

    def no_such_document(self, doc_id: str, option: str = "") -> str:
        """The error line for an id that names no document of the content folder."""
        return f"error: {option + ' ' if option else ''}{doc_id}: no such document in {self.config.content_dir}/"
