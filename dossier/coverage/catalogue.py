"""Article catalogues as data: one directory per rule set under `dossier/coverage/rules/`.

A rule set (`device-gmp-2025` = 医疗器械生产质量管理规范, 国家药监局公告2025年第107号) is
`ruleset.yaml` (labels, requirement types and the document kinds that meet them, record types
whose content an article prescribes) plus `articles.yaml` (every article: chapter, text, class,
the documents it requires). Another rule set (an appendix, ISO 13485, the drug GMP) is another
directory with the same two files; nothing about a regulation's content is written in Python.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from dossier.errors import UsageError

DEFAULT_RULES = "device-gmp-2025"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: the catalogue loads ~10x faster
ANY_KIND = "any"
_DIGITS = "零一二三四五六七八九"


def number_zh(number: int) -> str:
    """An article number in Chinese numerals as regulations write it (1 -> 一, 10 -> 十, 108 -> 一百零八, 110 -> 一百一十)."""
    if not 0 < number < 1000:
        raise ValueError(f"article number out of range: {number}")
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    parts = []
    if hundreds:
        parts.append(_DIGITS[hundreds] + "百")
    if tens:
        parts.append(("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十")
    elif hundreds and ones:
        parts.append("零")
    if ones:
        parts.append(_DIGITS[ones])
    return "".join(parts)


@dataclass(frozen=True)
class Requirement:
    """One document an article requires: its type (procedure, record …), what it is, the phrase that requires it."""

    type: str
    subject: str
    quote: str


@dataclass(frozen=True)
class Article:
    """One article of a rule set: number, chapter, text and class (informative, activity, or requiring documents)."""

    number: int | str  # as the catalogue writes it (device GMP: 1-132; a standard's clauses: "7.3.2")
    chapter: int
    text: str
    informative: bool
    activity: bool
    requires: tuple[Requirement, ...]
    label: str
    not_applicable_allowed: bool = False

    @property
    def key(self) -> str:
        """The article's number as text: how declarations look it up."""
        return str(self.number)

    @property
    def needs_document(self) -> bool:
        """True when the article names a document, record or agreement the company must have."""
        return bool(self.requires)


@dataclass(frozen=True)
class RecordType:
    """A record whose content an article prescribes (e.g. Art. 81 生产记录) and the fields it must show."""

    id: str
    article: str
    title: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """A versioned rule set: its articles in order, chapters, requirement types and record types."""

    id: str
    title: str
    short: str
    reference: str
    effective: str
    chapters: dict[int, str]
    articles: dict[str, Article]  # by Article.key, in catalogue order
    type_labels: dict[str, str]
    met_by: dict[str, frozenset[str] | None]  # None: any kind
    records: dict[str, RecordType]

    def article(self, number: int | str) -> Article | None:
        """The article `number` (digits or text), or None."""
        return self.articles.get(str(number).strip())

    def kinds_meeting(self, requirement: Requirement) -> frozenset[str] | None:
        """Document kinds that can meet `requirement` (None: any kind)."""
        return self.met_by.get(requirement.type)

    def chapter_of(self, article: Article) -> str:
        """The title of the article's chapter."""
        return self.chapters.get(article.chapter, "")


def _rules_root() -> Path:
    return Path(str(resources.files("dossier.coverage") / "rules"))


def available_rules() -> list[str]:
    """Ids of the rule sets shipped with dossier (directories holding ruleset.yaml)."""
    root = _rules_root()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "ruleset.yaml").is_file())


@functools.lru_cache(maxsize=None)
def load_rules(rules_id: str = DEFAULT_RULES) -> RuleSet:
    """The rule set `rules_id`; an unknown id is a UsageError naming the available ones.

    The data files are part of the package and checked by its tests, so a malformed file is a
    programming error (KeyError/TypeError), not an input problem.
    """
    if rules_id not in available_rules():
        raise UsageError(f"error: unknown rule set {rules_id!r} (available: {', '.join(available_rules())})")
    folder = _rules_root() / rules_id
    meta = yaml.load((folder / "ruleset.yaml").read_text(encoding="utf-8"), Loader=_LOADER)
    data = yaml.load((folder / meta["articles"]).read_text(encoding="utf-8"), Loader=_LOADER)
    label = meta["label"]
    articles = {}
    for entry in data["articles"]:
        number = entry["number"]
        articles[str(number)] = Article(
            number=number,
            chapter=int(entry["chapter"]),
            text=entry["text"],
            informative=bool(entry["informative"]),
            activity=bool(entry["activity"]),
            requires=tuple(Requirement(r["type"], r["subject"], r["quote"]) for r in entry["requires"]),
            label=label.format(number=number, number_zh=number_zh(number) if isinstance(number, int) else number),
            not_applicable_allowed=bool(entry.get("not_applicable_allowed", False)),
        )
    types = meta["types"]
    records = {key: RecordType(key, str(value["article"]), value["title"], tuple(value["fields"]))
               for key, value in (meta.get("records") or {}).items()}
    return RuleSet(
        id=meta["rules"],
        title=meta["title"],
        short=meta.get("short", meta["title"]),
        reference=meta.get("reference", ""),
        effective=str(meta.get("effective", "")),
        chapters={int(c["number"]): c["title"] for c in data["chapters"]},
        articles=articles,
        type_labels={name: value["label"] for name, value in types.items()},
        met_by={name: None if value["met_by"] == ANY_KIND else frozenset(value["met_by"]) for name, value in types.items()},
        records=records,
    )
