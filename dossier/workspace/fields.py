"""Typed reads from line-aware YAML mappings; every wrong value becomes a located problem."""

from __future__ import annotations

from datetime import date
from typing import Any

from dossier.errors import Problems
from dossier.util.dates import parse_date
from dossier.workspace.spec import DATE, INTEGER, MARKDOWN, TEXT, TEXTS, Field
from dossier.workspace.yamlsrc import SourceMap


def kind_of(value: Any) -> str:
    """How a YAML value is called in messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


class FieldReader:
    """Reads fields of one mapping, recording problems with file, line and dotted field name."""

    def __init__(self, mapping: SourceMap, problems: Problems, prefix: str = "", line: int | None = None):
        self.mapping = mapping
        self.problems = problems
        self.prefix = prefix
        self.line = line or mapping.line  # where a missing field is reported: the mapping's own key

    def line_of(self, key: str) -> int:
        """Line of `key`, or of the mapping when the key is missing."""
        return self.mapping.key_lines.get(key, self.line)

    def name(self, key: str) -> str:
        """Dotted field name for messages."""
        return f"{self.prefix}{key}"

    def fail(self, key: str, message: str) -> None:
        """Record a problem at `key`."""
        self.problems.add(self.mapping.path, self.line_of(key), self.name(key), message)

    def child(self, key: str) -> "FieldReader | None":
        """Reader for a nested mapping, or None (problem recorded) when it is not one."""
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, SourceMap):
            self.fail(key, "expected a mapping of fields")
            return None
        return FieldReader(value, self.problems, f"{self.name(key)}.", self.mapping.line_of(key))

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        """A non-empty string (numbers are accepted and turned into text)."""
        value = self.mapping.get(key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if required:
                self.fail(key, "is required (expected text)")
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"expected text, got {kind_of(value)}")
            return default
        return str(value)

    def integer(self, key: str, required: bool = False, default: int = 0, minimum: int | None = None) -> int:
        """A whole number, optionally at least `minimum`."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.fail(key, "is required (expected a whole number)")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected a whole number, got {value!r}")
            return default
        if minimum is not None and value < minimum:
            self.fail(key, f"expected a number of at least {minimum}, got {value}")
            return default
        return value

    def date(self, key: str, required: bool = False) -> date | None:
        """A date written YYYY-MM-DD."""
        value = self.mapping.get(key)
        if value is None or value == "":
            if required:
                self.fail(key, "is required (expected a date YYYY-MM-DD)")
            return None
        day = parse_date(str(value)) if isinstance(value, (str, int)) and not isinstance(value, bool) else None
        if day is None:
            self.fail(key, f"expected a date YYYY-MM-DD, got {value!r}")
        return day

    def text_list(self, key: str, required: bool = False) -> list[str]:
        """A list of non-empty strings."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.fail(key, "is required (expected a list)")
            return []
        if not isinstance(value, list):
            self.fail(key, "expected a list")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or str(item).strip() == "":
                line = value.line_of(index) if hasattr(value, "line_of") else self.line_of(key)
                self.problems.add(self.mapping.path, line, f"{self.name(key)}[{index + 1}]", "expected non-empty text")
                continue
            items.append(str(item).strip())
        if required and not items:
            self.fail(key, "must list at least one entry")
        return items

    def mappings(self, key: str) -> list[FieldReader]:
        """A list of mappings, each as a reader named key[n]."""
        value = self.mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, "expected a list")
            return []
        readers = []
        for index, item in enumerate(value):
            if not isinstance(item, SourceMap):
                self.problems.add(self.mapping.path, value.line_of(index), f"{self.name(key)}[{index + 1}]", "expected a mapping")
                continue
            readers.append(FieldReader(item, self.problems, f"{self.name(key)}[{index + 1}]."))
        return readers

    def unknown(self, allowed: set[str]) -> None:
        """Flag keys that are not in `allowed` (typos must not pass silently)."""
        for key in self.mapping:
            if key not in allowed:
                self.fail(str(key), f"unknown field (expected one of: {', '.join(sorted(allowed))})")

    def get(self, key: str) -> Any:
        """The raw value."""
        return self.mapping.get(key)

    def read(self, field: Field, default: Any = None) -> Any:
        """The value of `field` (a text, integer, date or texts definition), read with its rules.

        A missing optional value gives `default` (for text "", for a whole number 0, when None).
        """
        if field.type in (TEXT, MARKDOWN):
            return self.text(field.name, required=field.required, default="" if default is None else default)
        if field.type == INTEGER:
            minimum = None if field.minimum is None else int(field.minimum)
            return self.integer(field.name, required=field.required, default=0 if default is None else default, minimum=minimum)
        if field.type == DATE:
            return self.date(field.name, required=field.required)
        if field.type == TEXTS:
            return self.text_list(field.name, required=field.required)
        raise ValueError(f"{field.name}: a {field.type} field is not read with read()")

    def section(self, field: Field) -> "FieldReader | None":
        """Reader for the nested mapping `field`, its unknown keys reported; None when absent or no mapping."""
        child = self.child(field.name)
        if child is not None and not field.open:
            child.unknown(field.names)
        return child

    def items(self, field: Field) -> list["FieldReader"]:
        """Readers for each mapping of the list `field`, their unknown keys reported."""
        readers = self.mappings(field.name)
        for reader in readers:
            reader.unknown(field.names)
        return readers
