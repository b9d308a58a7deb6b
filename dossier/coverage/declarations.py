"""What a workspace declares about the articles: `covers:` in each document, `coverage:` in dossier.yaml.

Grammar (device GMP 2025 Art. 130: a company may declare an article not applicable, with the reason):

```yaml
# dossier.yaml
coverage:
  rules: device-gmp-2025          # the rule set(s) checked, default device-gmp-2025; a list for several
  drafts_cover: true              # drafts count as covering an article (while the system is set up)
  not_applicable:                 # a list for the first rule set, or {RULES: [...]} per rule set
    - {article: 120, reason: 产品无需安装, review: true}   # review: the company must still confirm it

# content/QP-06.yaml
covers: [10, 56, {article: 74, section: "4.5"}]   # or {RULES: [...]} per rule set
```

An unknown article, an N/A without a reason, an article declared twice, or declared not applicable
while a document claims to meet it, is an input problem naming file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dossier.coverage.catalogue import DEFAULT_RULES, RuleSet, available_rules, load_rules
from dossier.errors import Problems
from dossier.workspace.fields import FieldReader
from dossier.workspace.model import Workspace
from dossier.workspace.yamlsrc import SourceList, SourceMap

COVERAGE_FIELDS = {"rules", "drafts_cover", "not_applicable"}
EXCLUSION_FIELDS = {"article", "reason", "review"}
CLAIM_FIELDS = {"article", "section"}


@dataclass(frozen=True)
class Claim:
    """A document says it meets an article (optionally in one section of it)."""

    document: str
    article: str  # Article.key
    section: str
    path: str
    line: int


@dataclass(frozen=True)
class Exclusion:
    """An article declared not applicable (Art. 130), with the reason; `review`: still to be confirmed."""

    article: str
    reason: str
    review: bool
    path: str
    line: int


@dataclass
class Declarations:
    """Every declaration of a workspace, by rule set id."""

    rules: list[str]
    drafts_cover: bool = False
    claims: dict[str, list[Claim]] = field(default_factory=dict)
    not_applicable: dict[str, dict[str, Exclusion]] = field(default_factory=dict)

    @property
    def primary(self) -> str:
        """The rule set a plain list (of `covers` or `not_applicable`) refers to."""
        return self.rules[0]

    def covering(self, rules_id: str, article: str) -> list[Claim]:
        """The claims on `article` of rule set `rules_id`, in document order."""
        return [claim for claim in self.claims.get(rules_id, []) if claim.article == article]


def _rule_ids(reader: FieldReader | None) -> list[str]:
    if reader is None or reader.get("rules") is None:
        return [DEFAULT_RULES]
    value = reader.get("rules")
    names = [value] if isinstance(value, str) else reader.text_list("rules", required=True)
    known = []
    for name in names:
        if name in available_rules():
            known.append(name)
        else:
            reader.fail("rules", f"unknown rule set {name!r} (available: {', '.join(available_rules())})")
    return list(dict.fromkeys(known)) or [DEFAULT_RULES]


def _per_rules(reader: FieldReader, key: str, decl: Declarations) -> list[tuple[str, SourceList, FieldReader]]:
    """(rule set, list, reader of the list's owner) for a field that is a list or a mapping {RULES: list}."""
    value = reader.get(key)
    if value is None:
        return []
    if isinstance(value, SourceList):
        return [(decl.primary, value, reader)]
    if isinstance(value, SourceMap):
        out = []
        sub = FieldReader(value, reader.problems, f"{reader.name(key)}.", reader.line_of(key))
        for rules_id, items in value.items():
            if rules_id not in decl.rules:
                sub.fail(str(rules_id), f"rule set {rules_id!r} is not checked by this workspace "
                                        f"(coverage.rules in dossier.yaml: {', '.join(decl.rules)})")
            elif not isinstance(items, SourceList):
                sub.fail(str(rules_id), "expected a list")
            else:
                out.append((str(rules_id), items, sub))
        return out
    reader.fail(key, f"expected a list of articles, or a mapping {{rule set: list}} (rule sets: {', '.join(decl.rules)})")
    return []


def _article(rules: RuleSet, value: object, where: tuple[str, int, str], problems: Problems) -> str | None:
    """The key of a known article named by `value`, else None after recording the problem."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or str(value).strip() == "":
        problems.add(*where, f"expected an article number of {rules.id}, got {value!r}")
        return None
    article = rules.article(value)
    if article is None:
        problems.add(*where, f"unknown article {value} of {rules.id} (articles: {_span(rules)})")
        return None
    return article.key


def _span(rules: RuleSet) -> str:
    keys = list(rules.articles)
    return f"{keys[0]}–{keys[-1]}" if keys else "none"


def _exclusions(config_reader: FieldReader, decl: Declarations, problems: Problems) -> None:
    for rules_id, items, owner in _per_rules(config_reader, "not_applicable", decl):
        rules = load_rules(rules_id)
        found = decl.not_applicable.setdefault(rules_id, {})
        name = owner.name("not_applicable") if owner is config_reader else owner.name(rules_id)
        for index, item in enumerate(items):
            line = items.line_of(index)
            field_name = f"{name}[{index + 1}]"
            if not isinstance(item, SourceMap):
                problems.add(items.path, line, field_name, "expected {article: N, reason: why it does not apply (Art. 130)}")
                continue
            entry = FieldReader(item, problems, f"{field_name}.")
            entry.unknown(EXCLUSION_FIELDS)
            article = _article(rules, item.get("article"), (items.path, entry.line_of("article"), f"{field_name}.article"), problems)
            reason = entry.text("reason")
            if not reason:
                entry.fail("reason", "is required: Art. 130 allows an article to be declared not applicable only with the reason")
            review = item.get("review", False)
            if not isinstance(review, bool):
                entry.fail("review", f"expected true or false, got {review!r}")
                review = False
            if article is None:
                continue
            if rules.articles[article].informative:
                entry.fail("article", f"article {article} ({rules.articles[article].label}) places no requirement "
                                      "on the company; it cannot be declared not applicable")
            elif article in found:
                entry.fail("article", f"article {article} is already declared not applicable (line {found[article].line})")
            elif reason:
                found[article] = Exclusion(article, reason, review, items.path, line)


def _claims(ws: Workspace, decl: Declarations, problems: Problems) -> None:
    for doc in ws.documents.values():
        if not isinstance(doc.raw, SourceMap) or doc.raw.get("covers") is None:
            continue
        reader = FieldReader(doc.raw, problems)
        for rules_id, items, owner in _per_rules(reader, "covers", decl):
            rules = load_rules(rules_id)
            claims = decl.claims.setdefault(rules_id, [])
            name = owner.name("covers") if owner is reader else owner.name(rules_id)
            seen: dict[str, int] = {}
            for index, item in enumerate(items):
                line = items.line_of(index)
                field_name = f"{name}[{index + 1}]"
                section = ""
                value: object = item
                if isinstance(item, SourceMap):
                    entry = FieldReader(item, problems, f"{field_name}.")
                    entry.unknown(CLAIM_FIELDS)
                    value = item.get("article")
                    section = entry.text("section")
                article = _article(rules, value, (items.path, line, field_name), problems)
                if article is None:
                    continue
                if article in seen:
                    problems.add(items.path, line, field_name, f"article {article} is listed twice (line {seen[article]})")
                    continue
                seen[article] = line
                claims.append(Claim(doc.id, article, section, items.path, line))


def _conflicts(decl: Declarations, problems: Problems) -> None:
    """An article declared not applicable that a document claims to meet is a contradiction."""
    for rules_id, exclusions in decl.not_applicable.items():
        for claim in decl.claims.get(rules_id, []):
            exclusion = exclusions.get(claim.article)
            if exclusion is not None:
                problems.add(claim.path, claim.line, "covers",
                             f"{claim.document} claims to meet article {claim.article}, which {exclusion.path}:{exclusion.line} "
                             "declares not applicable; keep one")


def read_declarations(ws: Workspace, problems: Problems) -> Declarations:
    """The `coverage:` settings and every document's `covers:`, checked against the rule sets."""
    raw = ws.config.raw if isinstance(ws.config.raw, SourceMap) else SourceMap()
    top = FieldReader(raw, problems)
    coverage = top.child("coverage")
    decl = Declarations(_rule_ids(coverage))
    if coverage is not None:
        coverage.unknown(COVERAGE_FIELDS)
        drafts = coverage.get("drafts_cover")
        if drafts is not None and not isinstance(drafts, bool):
            coverage.fail("drafts_cover", f"expected true or false, got {drafts!r}")
        decl.drafts_cover = drafts is True
        _exclusions(coverage, decl, problems)
    _claims(ws, decl, problems)
    _conflicts(decl, problems)
    return decl
