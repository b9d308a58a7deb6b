"""The in-memory index of a workspace: its configuration and its documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dossier.errors import UsageError
from dossier.util import clock
from dossier.workspace.kinds import (  # noqa: F401
    DEFAULT_NUMBERING,
    DEFAULT_RETENTION_YEARS,
    DEFAULT_REVIEW_MONTHS,
    KIND_LABELS,
    KINDS,
    DocumentKind,
)
from dossier.workspace.retention import RetentionRule

if TYPE_CHECKING:  # external.py reads with definitions.py, which imports this module
    from dossier.workspace.external import ExternalDocument

DEFAULT_TIMEZONE = "Asia/Shanghai"
# the duties `approval_authority:` assigns per kind: who may review (审核) and who may approve (批准)
DUTIES = ("review", "approve")
NUMBERING_STYLES = ("auto", "none", "chapter")  # heading numbers: 1 / 1.1, none, 第一章 / 第一节


@dataclass(frozen=True)
class Signoff:
    """One line of the approval block: who signed and when."""

    name: str
    date: date | None


# the registers `dossier register` writes (dossier/control/forms.yaml), named in dossier.yaml `registers:`
REGISTER_NAMES = ("master-list", "drafts", "distribution", "destruction", "external")


@dataclass
class Config:
    """Workspace settings from dossier.yaml."""

    root: Path
    company_name: str
    company_address: str = ""
    revision_scheme: str = "letters"
    numbering: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_NUMBERING))
    review_interval_months: dict[str, int] = field(default_factory=lambda: {"default": DEFAULT_REVIEW_MONTHS})
    # per kind (and `default`): how long superseded and withdrawn revisions are kept (workspace/retention.py)
    retention_years: dict[str, RetentionRule] = field(default_factory=lambda: {"default": RetentionRule(DEFAULT_RETENTION_YEARS)})
    content_dir: str = "content"
    templates_dir: str = "templates"
    build_dir: str = "build"
    releases_dir: str = "releases"
    ledger_file: str = "ledger.jsonl"
    external_file: str = "external.yaml"  # the external-document register (Art. 44)
    converters: list[str] = field(default_factory=list)
    converter_timeout: float | None = None  # seconds per document (`converter: {timeout: …}`); None: the default
    register_numbers: dict[str, str] = field(default_factory=dict)  # register name -> its form number
    # faces chosen in `fonts:`: {"": workspace-wide, kind: per kind}, each {role: face}
    fonts: dict[str, dict[str, str]] = field(default_factory=dict)
    # dates and times people read (approval dates, signature appearances, reports) are in this zone
    timezone: str = DEFAULT_TIMEZONE
    # every release and withdrawal must be signed (ledger entry and PDF) with the approver's key
    require_signed_releases: bool = False
    # {kind or "default": {"review"|"approve": [names]}}: who may review/approve; absent = anyone
    approval_authority: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    numbering_style: str = "auto"  # heading numbers of every document (NUMBERING_STYLES)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        """The workspace time zone (`timezone:`, default Asia/Shanghai)."""
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        """The current time in the workspace time zone."""
        return clock.now_in(self.zone)

    def today(self) -> date:
        """Today's date in the workspace time zone (what approval and effective dates mean)."""
        return self.now().date()

    def authorised(self, kind: str, duty: str) -> list[str] | None:
        """Who may carry out `duty` (review, approve) for documents of `kind`; None when anyone may.

        Device GMP Art. 43(2): documents are reviewed and approved by the persons authorised to.
        """
        for key in (kind, "default"):
            names = self.approval_authority.get(key, {}).get(duty)
            if names is not None:
                return names
        return None

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
    body_unreadable: bool = False  # the body file could not be read (reported once, where it failed)
    distribution: list[dict[str, Any]] = field(default_factory=list)
    form: dict[str, Any] | None = None
    validation: dict[str, Any] | None = None
    numbering_style: str = ""  # this document's heading numbers; "" = the workspace's
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> str:
        """The document number printed on the document (its id)."""
        return self.id

    def heading_numbers(self, config: Config) -> str:
        """The heading numbering style in force: the document's own, else the workspace's."""
        return self.numbering_style or config.numbering_style

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
    # what the steps of one run compute once and share, by name (e.g. dossier.validate.memo's
    # layout findings); not part of the workspace's content
    caches: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

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
