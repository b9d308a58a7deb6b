"""The article table a document shows in place of a `{coverage}` block (the quality manual's 条款对照表).

Grammar: a fenced block whose info string is `{coverage}`; its lines are options `key: value`:

    ```{coverage}
    show: articles          # articles (default): every article, what it requires, the documents meeting it
                            # not_applicable: the articles declared not applicable and why (Art. 130)
    rules: device-gmp-2025  # default: the workspace's first rule set
    ```

The table is generated from the same declarations as `dossier coverage`, so the manual cannot
disagree with the matrix. It lists what documents claim, whatever their state (the manual
describes the system; `dossier coverage` judges whether it is in force).
"""

from __future__ import annotations

from dataclasses import dataclass

from dossier.coverage.catalogue import available_rules, load_rules, number_zh
from dossier.coverage.declarations import Declarations

DIRECTIVE = "{coverage}"
SHOW = ("articles", "not_applicable")
OPTIONS = ("show", "rules")


@dataclass(frozen=True)
class TableOptions:
    """What one `{coverage}` block asks for."""

    show: str
    rules: str | None


def parse_options(content: str) -> tuple[TableOptions, list[tuple[int, str]]]:
    """The block's options and its problems as (0-based line within the block, message)."""
    values: dict[str, str] = {}
    problems = []
    for number, line in enumerate(content.splitlines()):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        key, sep, value = text.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in OPTIONS:
            problems.append((number, f"{{coverage}} block: expected `show: {' | '.join(SHOW)}` or `rules: RULE-SET`, got {text!r}"))
        elif key == "show" and value not in SHOW:
            problems.append((number, f"{{coverage}} block: show is one of {', '.join(SHOW)}, got {value!r}"))
        elif key == "rules" and value not in available_rules():
            problems.append((number, f"{{coverage}} block: unknown rule set {value!r} (available: {', '.join(available_rules())})"))
        else:
            values[key] = value
    return TableOptions(values.get("show", "articles"), values.get("rules")), problems


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def coverage_markdown(options: TableOptions, decl: Declarations, titles: dict[str, str]) -> str:
    """The GFM table the block stands for; `titles` maps document ids to titles."""
    rules = load_rules(options.rules or decl.primary)
    exclusions = decl.not_applicable.get(rules.id, {})
    if options.show == "not_applicable":
        lines = [f"| {rules.short}条款 | 章 | 不适用的理由 |", "|---|---|---|"]
        for key, article in rules.articles.items():
            if key in exclusions:
                lines.append(f"| {article.label} | {_cell(rules.chapter_of(article))} | {_cell(exclusions[key].reason)} |")
        if len(lines) == 2:
            lines.append("| — | — | 无不适用条款 |")
        return "\n".join(lines) + "\n"
    parts = [f"“要求的文件”列出{rules.short}条款明确要求建立或者保存的文件和记录；“—”表示条款对有关活动提出要求而未规定专门文件。"]
    chapter = None
    for key, article in rules.articles.items():
        if article.chapter != chapter:
            chapter = article.chapter
            label = f"第{number_zh(chapter)}章" if isinstance(chapter, int) and 0 < chapter < 1000 else str(chapter)
            parts.append(f"**{label}　{_cell(rules.chapter_of(article))}**")
            parts.append(f"| {rules.short}条款 | 要求的文件 | 体系文件 |\n|---|---|---|")
        if article.informative:
            required = "原则性条款"
        elif article.requires:
            required = "；".join(dict.fromkeys(r.subject for r in article.requires))
        else:
            required = "—"
        if key in exclusions:
            documents = f"不适用：{exclusions[key].reason}"
        else:
            claims = decl.covering(rules.id, key)
            documents = "；".join(f"{c.document} {titles.get(c.document, '')}".strip() + (f"（{c.section}）" if c.section else "")
                                 for c in claims) or "—"
        parts[-1] += f"\n| {article.label} | {_cell(required)} | {_cell(documents)} |"
    return "\n\n".join(parts) + "\n"
