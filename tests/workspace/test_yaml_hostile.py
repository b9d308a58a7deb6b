"""Every YAML dossier reads refuses anchors, aliases and merge keys (issue 14 #1) and reads dates strictly (#7)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dossier.errors import Problems
from dossier.util.dates import parse_date
from dossier.workspace.fields import FieldReader
from dossier.workspace.yamlsrc import load_yaml, load_yaml_text
from tests.hostile_support import alias_bomb


def _load(text: str) -> tuple[object, list[str]]:
    problems = Problems()
    data = load_yaml_text(text, "x.yaml", problems)
    return data, [str(p) for p in problems.items]


def test_alias_bomb_is_refused_at_once_naming_the_line() -> None:
    bomb = alias_bomb()
    assert len(bomb.encode()) < 1024
    started = time.perf_counter()
    data, found = _load("title: 文件\n" + bomb)
    assert time.perf_counter() - started < 1.0
    assert data is None
    assert found == ["x.yaml:2: invalid YAML: anchors and aliases (&a0) are not supported: write the value out"]


@pytest.mark.parametrize(("text", "line", "what"), [
    ("a: 1\nb: *a\n", 2, "anchors and aliases (*a)"),  # an alias without its anchor is refused as well
    ("base: &b {x: 1}\n", 1, "anchors and aliases (&b)"),
    ("a:\n  <<: {x: 1}\n  y: 2\n", 2, "merge keys (<<)"),
])
def test_anchors_aliases_and_merge_keys_are_refused(text: str, line: int, what: str) -> None:
    data, found = _load(text)
    assert data is None
    assert len(found) == 1 and found[0].startswith(f"x.yaml:{line}: invalid YAML: {what} are not supported"), found


def test_ampersand_and_asterisks_in_values_are_plain_text() -> None:
    data, found = _load("title: R&D **重要** *注* a&b\nbody: |\n  **粗体** & *斜体*\n")
    assert found == []
    assert data["title"] == "R&D **重要** *注* a&b" and data["body"] == "**粗体** & *斜体*\n"


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("id: QP-01\ntitle: 文件控制程序\n".encode("gbk"))
    problems = Problems()
    assert load_yaml(path, problems, "x.yaml") is None
    assert [str(p) for p in problems.items] == [
        "x.yaml:2: not UTF-8 text (byte 17 cannot start or continue a character; save the file as UTF-8, not GBK/GB 18030)"]


@pytest.mark.parametrize("text", ["20261201", "2026W491", "2026-W49-1", "2026-12-1", "2026-1201", "2026-02-30", "２０２６-12-01"])
def test_dates_are_yyyy_mm_dd_only(text: str) -> None:
    assert parse_date(text) is None
    data, _ = _load(f"effective_date: {text!r}\nother: {text}\n")
    problems = Problems()
    reader = FieldReader(data, problems)
    assert reader.date("effective_date") is None and reader.date("other") is None
    assert len(problems.items) == 2 and all("expected a date YYYY-MM-DD" in p.message for p in problems.items)


def test_a_real_date_reads() -> None:
    data, _ = _load("d: 2026-12-01\nq: '2026-12-01'\n")
    reader = FieldReader(data, Problems())
    assert str(reader.date("d")) == str(reader.date("q")) == "2026-12-01"


def test_date_with_spaces_or_time_is_not_a_date() -> None:
    assert parse_date(" 2026-12-01") is None and parse_date("2026-12-01T00:00") is None and parse_date(20261201) is None
