"""The coverage matrix: each article of a rule set, its status and the documents that cover it.

Statuses: `informative` (the article places no requirement: purpose, scope, definitions …),
`not_applicable` (declared under Art. 130 with a reason), `covered` (a document in force claims it
and, where the article requires a 程序/制度/规程, a document of a kind that can be one), `gap`
(otherwise). A gap fails the check (`failing`) when the article requires a document; a gap on
an article that only requires an activity is reported, not failed. A document counts when a
revision of it is in force or approved; drafts count only with `coverage.drafts_cover: true`;
withdrawn documents never count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dossier.coverage.catalogue import Article, RuleSet
from dossier.coverage.declarations import Declarations, Exclusion

COUNTING_STATES = frozenset({"effective", "approved"})
STATUSES = ("covered", "not_applicable", "gap", "informative")


@dataclass(frozen=True)
class DocumentInfo:
    """What the matrix shows of a document: title, revision, kind, and the state that decides whether it counts."""

    id: str
    title: str
    revision: str
    kind: str
    kind_label: str
    state: str  # effective (a revision in force), approved, draft, obsolete


@dataclass(frozen=True)
class Covering:
    """One document covering an article, with the section it names."""

    document: DocumentInfo
    section: str
    counts: bool


@dataclass(frozen=True)
class Row:
    """One article of the matrix."""

    article: Article
    chapter: str
    status: str
    documents: tuple[Covering, ...]
    exclusion: Exclusion | None
    problem: str  # why a gap is a gap
    failing: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "article": self.article.number,
            "label": self.article.label,
            "chapter": self.chapter,
            "status": self.status,
            "needs_document": self.article.needs_document,
            "requires": [{"type": r.type, "subject": r.subject} for r in self.article.requires],
            "documents": [{"id": c.document.id, "title": c.document.title, "revision": c.document.revision,
                           "state": c.document.state, "kind": c.document.kind, "section": c.section or None,
                           "counts": c.counts} for c in self.documents],
            "reason": self.exclusion.reason if self.exclusion else None,
            "review": self.exclusion.review if self.exclusion else None,
            "problem": self.problem or None,
            "failing": self.failing,
        }


@dataclass
class Matrix:
    """The rows of one rule set and what they add up to."""

    rules: RuleSet
    rows: list[Row] = field(default_factory=list)
    drafts_cover: bool = False

    @property
    def failing(self) -> list[Row]:
        """Articles that require a document and are not met: the check fails on these."""
        return [row for row in self.rows if row.failing]

    def summary(self) -> dict[str, Any]:
        """Counts by status, the failing articles and the N/A reasons still to be confirmed."""
        counts = {status: sum(1 for row in self.rows if row.status == status) for status in STATUSES}
        needing = [row for row in self.rows if row.article.needs_document]
        return {
            "articles": len(self.rows),
            **counts,
            "requiring_documents": len(needing),
            "requiring_documents_met": sum(1 for row in needing if row.status in ("covered", "not_applicable")),
            "failing": [row.article.number for row in self.failing],
            "activity_gaps": [row.article.number for row in self.rows if row.status == "gap" and not row.failing],
            "not_applicable_to_confirm": [row.article.number for row in self.rows if row.exclusion and row.exclusion.review],
            "drafts_cover": self.drafts_cover,
        }

    def as_dict(self) -> dict[str, Any]:
        """The `dossier coverage --json` document."""
        return {"rules": self.rules.id, "title": self.rules.title,
                "articles": [row.as_dict() for row in self.rows], "summary": self.summary()}


def _counts(info: DocumentInfo, drafts_cover: bool) -> bool:
    return info.state in COUNTING_STATES or (drafts_cover and info.state == "draft")


def _unmet_kinds(rules: RuleSet, article: Article, counting: list[Covering]) -> str:
    """Why the counting documents cannot meet a 程序/制度/规程 the article requires ('' when they can)."""
    for requirement in article.requires:
        kinds = rules.kinds_meeting(requirement)
        if kinds is None or any(c.document.kind in kinds for c in counting):
            continue
        have = "、".join(f"{c.document.id}（{c.document.kind_label}）" for c in counting)
        return (f"requires {requirement.subject} ({rules.type_labels.get(requirement.type, requirement.type)}), "
                f"which only a {' / '.join(sorted(kinds))} can be; covered only by {have}")
    return ""


def _gap_problem(rules: RuleSet, article: Article, coverings: list[Covering], drafts_cover: bool) -> str:
    counting = [c for c in coverings if c.counts]
    if counting:
        return _unmet_kinds(rules, article, counting)
    if not coverings:
        needs = "、".join(r.subject for r in article.requires)
        return f"no document covers it{f' (requires {needs})' if needs else ''}"
    drafts = [c.document.id for c in coverings if c.document.state == "draft"]
    withdrawn = [c.document.id for c in coverings if c.document.state == "obsolete"]
    parts = []
    if drafts:
        parts.append(f"drafts {', '.join(drafts)} (release them, or set coverage.drafts_cover while setting up)")
    if withdrawn:
        parts.append(f"withdrawn documents {', '.join(withdrawn)}")
    return "covered only by " + " and ".join(parts)


def coverage_matrix(rules: RuleSet, decl: Declarations, documents: dict[str, DocumentInfo]) -> Matrix:
    """The matrix of rule set `rules` from the declarations and the documents' states."""
    exclusions = decl.not_applicable.get(rules.id, {})
    matrix = Matrix(rules, drafts_cover=decl.drafts_cover)
    for key, article in rules.articles.items():
        coverings = [Covering(documents[claim.document], claim.section, _counts(documents[claim.document], decl.drafts_cover))
                     for claim in decl.covering(rules.id, key) if claim.document in documents]
        exclusion = exclusions.get(key)
        problem = ""
        if article.informative:
            status = "informative"
        elif exclusion is not None:
            status = "not_applicable"
        else:
            problem = _gap_problem(rules, article, coverings, decl.drafts_cover)
            status = "gap" if problem else "covered"
        matrix.rows.append(Row(article, rules.chapter_of(article), status, tuple(coverings), exclusion, problem,
                               failing=status == "gap" and article.needs_document))
    return matrix
