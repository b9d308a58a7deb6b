"""The device GMP 2025 catalogue (dossier/coverage/rules/device-gmp-2025/) checked against the regulation text.

docs/regulations/device-gmp-2025.md is the text the catalogue is made from: every article's number,
chapter and text must match it verbatim; every requirement's quote is a phrase of its article;
every record field a rule set prescribes is a phrase of its article.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from dossier.coverage.catalogue import DEFAULT_RULES, available_rules, load_rules, number_zh
from dossier.errors import UsageError
from dossier.workspace.kinds import KINDS
from tests.conftest import REPO

SOURCE = REPO / "docs" / "regulations" / "device-gmp-2025.md"
DATA = REPO / "dossier" / "coverage" / "rules" / "device-gmp-2025"
TYPES = {"procedure", "system", "regulation", "plan", "file", "agreement", "report", "record"}
DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int:
    """Chinese numeral up to 999 (一百零八, 一百一十, 十二) as an int: an independent reading of the source."""
    total = digit = 0
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char == "十":
            total, digit = total + (digit or 1) * 10, 0
        elif char == "百":
            total, digit = total + digit * 100, 0
        else:
            raise ValueError(text)
    return total + digit


def parse_source(path: Path) -> tuple[dict[int, tuple[int, str]], dict[int, tuple[str, list[int]]]]:
    """({article: (chapter, text)}, {chapter: (title, [articles])}) read from the regulation's Markdown."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("## 第一章"))
    articles: dict[int, list] = {}
    chapters: dict[int, tuple[str, list[int]]] = {}
    chapter = current = None
    for line in lines[start:]:
        heading = re.match(r"^##\s+第([一二三四五六七八九十]+)章\s+(.*\S)\s*$", line)
        if heading:
            chapter = cn_number(heading.group(1))
            chapters[chapter] = (re.sub(r"\s", "", heading.group(2)), [])
            current = None
            continue
        label = re.match(r"^第([零一二三四五六七八九十百]+)条\s\s(.*)$", line)
        if label:
            current = cn_number(label.group(1))
            articles[current] = [chapter, [label.group(2)]]
            chapters[chapter][1].append(current)
        elif line.strip() and current is not None:
            articles[current][1].append(line)
    return {n: (c, "\n".join(parts)) for n, (c, parts) in articles.items()}, chapters


@pytest.fixture(scope="module")
def source():
    return parse_source(SOURCE)


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load((DATA / "articles.yaml").read_text(encoding="utf-8"))


def test_the_source_has_132_articles_in_15_chapters(source) -> None:
    articles, chapters = source
    assert sorted(articles) == list(range(1, 133))
    assert sorted(chapters) == list(range(1, 16))


def test_every_article_matches_the_regulation_verbatim(source) -> None:
    articles, _ = source
    rules = load_rules(DEFAULT_RULES)
    assert [a.number for a in rules.articles.values()] == list(range(1, 133))
    for number, (chapter, text) in articles.items():
        article = rules.article(number)
        assert article.chapter == chapter, number
        assert article.text == text, number
        assert article.label == f"第{number_zh(number)}条"


def test_chapters_and_their_article_ranges_match_the_regulation(source, data) -> None:
    _, chapters = source
    assert [c["number"] for c in data["chapters"]] == list(range(1, 16))
    for entry in data["chapters"]:
        title, numbers = chapters[entry["number"]]
        assert entry["title"] == title
        assert entry["articles"] == [numbers[0], numbers[-1]]


def test_each_article_is_exactly_one_class_and_quotes_its_own_text(data) -> None:
    classes: Counter[str] = Counter()
    for entry in data["articles"]:
        informative, activity, requires = entry["informative"], entry["activity"], entry["requires"]
        assert informative + activity + bool(requires) == 1, entry["number"]
        assert not (informative and entry.get("not_applicable_allowed")), entry["number"]
        classes["informative" if informative else "activity" if activity else "requires"] += 1
        for requirement in requires:
            assert set(requirement) == {"type", "subject", "quote"}, entry["number"]
            assert requirement["type"] in TYPES
            assert requirement["quote"] in entry["text"], (entry["number"], requirement["quote"])
    assert classes == {"informative": 9, "activity": 53, "requires": 70}


def test_the_informative_articles_are_the_ones_placing_no_requirement() -> None:
    rules = load_rules()
    assert [a.number for a in rules.articles.values() if a.informative] == [1, 2, 3, 4, 5, 6, 130, 131, 132]


def test_the_data_file_uses_no_anchors_aliases_or_merge_keys() -> None:
    raw = (DATA / "articles.yaml").read_text(encoding="utf-8")
    assert not re.search(r"(^|[\s\[{,:])[&*][A-Za-z0-9_-]+", raw) and "<<:" not in raw


def test_requirement_types_are_all_declared_and_met_by_known_kinds(data) -> None:
    rules = load_rules()
    used = {r["type"] for entry in data["articles"] for r in entry["requires"]}
    assert used <= set(rules.type_labels)
    for kinds in rules.met_by.values():
        assert kinds is None or kinds <= set(KINDS)
    procedural = {name for name, kinds in rules.met_by.items() if kinds is not None}
    assert procedural == {"procedure", "system", "regulation"}
    assert "record_form" not in rules.met_by["procedure"]


def test_prescribed_record_fields_are_phrases_of_their_article() -> None:
    rules = load_rules()
    assert {r.article for r in rules.records.values()} == {"64", "81", "100", "104", "117", "129"}
    for record in rules.records.values():
        text = rules.articles[record.article].text
        for field in record.fields:
            assert field in text, (record.id, field)


@pytest.mark.parametrize(("number", "text"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (100, "一百"), (104, "一百零四"),
                                              (110, "一百一十"), (117, "一百一十七"), (130, "一百三十"), (132, "一百三十二")])
def test_article_numbers_in_chinese_numerals(number: int, text: str) -> None:
    assert number_zh(number) == text
    assert cn_number(text) == number


def test_rule_sets_are_listed_and_an_unknown_one_is_a_usage_error() -> None:
    assert DEFAULT_RULES in available_rules()
    with pytest.raises(UsageError, match="unknown rule set 'iso-13485-2016'.*device-gmp-2025"):
        load_rules("iso-13485-2016")
