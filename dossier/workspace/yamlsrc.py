"""YAML loading that remembers the line of every key and list item.

Mappings load as `SourceMap` and sequences as `SourceList`; both know the file they came
from and the 1-based line of each key/item, so validators can say exactly where a value is.
Dates stay strings (validators parse them), duplicate keys are input errors. Anchors, aliases
(`&a`, `*a`) and merge keys (`<<`) are input errors too: nine nested aliases in under 1 KB expand
to a billion nodes, and every walk over the loaded tree (the illegal-character scan, digests)
would take hours. No file dossier reads needs them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from dossier.errors import Problems

# Characters XML 1.0 cannot hold (allowed: tab, LF, CR).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class SourceMap(dict):
    """A dict that knows the source file and the line of each key."""

    path: str = ""
    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}
        self.text_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """Line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)

    def text_line(self, key: Any) -> int:
        """Line where the text of `key`'s scalar value starts: the key's line for `key: text` or a quoted
        value, the line after the `|`/`>` indicator for a block scalar (`line_of(key)` when unknown)."""
        return self.text_lines.get(key, self.line_of(key))


class SourceList(list):
    """A list that knows the source file and the line of each item."""

    path: str = ""
    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        """Line of item `index`."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available: ~10x faster


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """Safe loader building SourceMap/SourceList and keeping dates as plain strings."""


def _no_timestamps() -> None:
    resolvers = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        resolvers[first] = [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
    _Loader.yaml_implicit_resolvers = resolvers


_no_timestamps()


class DuplicateKey(yaml.MarkedYAMLError):
    """A key appears twice in one mapping."""


class NotSupported(yaml.MarkedYAMLError):
    """An anchor, alias or merge key: refused so that no file expands beyond what it spells out."""


def _refuse_aliases(text: str) -> None:
    """Raise NotSupported at the first anchor or alias of `text` (a token scan: ~1 ms per 10 KB)."""
    if "&" not in text and "*" not in text:
        return
    scanner = _Loader(text)
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
                sign = "*" if isinstance(token, yaml.AliasToken) else "&"
                raise NotSupported(None, None, f"anchors and aliases ({sign}{token.value}) are not supported: "
                                   "write the value out", token.start_mark)
    finally:
        scanner.dispose()


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> SourceMap:
    result = SourceMap()
    result.path = loader.source_path
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise NotSupported(None, None, "merge keys (<<) are not supported: write the keys out", key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise DuplicateKey(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.ScalarNode):
            block = value_node.style in ("|", ">")
            result.text_lines[key] = value_node.start_mark.line + 1 + (1 if block else 0)
    return result


def _construct_list(loader: _Loader, node: yaml.SequenceNode) -> SourceList:
    result = SourceList()
    result.path = loader.source_path
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.item_lines.append(item.start_mark.line + 1)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list)


def strip_illegal_xml(text: str) -> str:
    """`text` without the characters XML cannot hold (report them first: `illegal_xml_chars`)."""
    return _XML_ILLEGAL.sub("", text)


def illegal_xml_chars(text: str) -> list[tuple[int, str]]:
    """(line, character repr) of every character XML cannot hold in `text`."""
    found = []
    for match in _XML_ILLEGAL.finditer(text):
        found.append((text.count("\n", 0, match.start()) + 1, repr(match.group())))
    return found


def _report_illegal_values(value: Any, shown: str, problems: Problems, field: str, line: int | None = None) -> None:
    """Escaped characters XML cannot hold (e.g. "\\x0b" in a quoted value), reported per field."""
    if isinstance(value, SourceMap):
        for key, item in value.items():
            _report_illegal_values(item, shown, problems, f"{field}.{key}" if field else str(key), value.line_of(key))
    elif isinstance(value, SourceList):
        for index, item in enumerate(value):
            _report_illegal_values(item, shown, problems, f"{field}[{index + 1}]", value.line_of(index))
    elif isinstance(value, str):
        for _, char in illegal_xml_chars(value):
            problems.add(shown, line, field, f"character {char} cannot appear in a document (XML forbids it)")


def read_utf8(path: Path, problems: Problems, shown: str, field: str = "") -> str | None:
    """The text of `path`, or None after recording why it cannot be read (not UTF-8: with the line)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(shown, None, field, f"cannot read file: {exc.strerror}")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.add(shown, line, field, f"not UTF-8 text (byte {exc.start} cannot start or continue a character; "
                     "save the file as UTF-8, not GBK/GB 18030)")
        return None


def load_yaml(path: Path, problems: Problems, display: str | None = None) -> Any:
    """Parse one YAML file; syntax errors and illegal characters go to `problems`.

    Returns None when the file cannot be parsed. `display` is the path shown in messages
    (default: `path` as given).
    """
    shown = display or str(path)
    text = read_utf8(path, problems, shown)
    return None if text is None else load_yaml_text(text, shown, problems)


def load_yaml_text(text: str, shown: str, problems: Problems) -> Any:
    """Parse YAML text whose origin is called `shown` in messages."""
    bad = illegal_xml_chars(text)
    for line, char in bad:
        problems.add(shown, line, "", f"character {char} cannot appear in a document (XML forbids it)")
    if bad:
        return None
    loader = _Loader(text)
    loader.source_path = shown
    try:
        _refuse_aliases(text)
        data = loader.get_single_data()
        _report_illegal_values(data, shown, problems, "")
        return data
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problems.add(shown, line, "", f"invalid YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.add(shown, None, "", f"invalid YAML: {exc}")
        return None
    finally:
        loader.dispose()
