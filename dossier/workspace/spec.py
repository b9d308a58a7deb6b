"""Field definitions: what a YAML mapping may hold, declared once for the loader and for editors.

A `Field` names one key of a YAML file, its type, whether it is required, its Chinese name
(`label`) and what it means (`doc`); a mapping lists its fields. The loader reads with these
definitions (`FieldReader.read`, `FieldReader.section`: which keys are allowed, which are
required, which type each has) and `dossier.workspace.schema` turns the same definitions into
JSON Schema for editors, so the two cannot drift apart.

Types (`Field.type`):

| type            | YAML value                                            | loader            |
| --------------- | ----------------------------------------------------- | ----------------- |
| `text`          | non-empty text (numbers are taken as text)            | `FieldReader.text` |
| `markdown`      | Markdown text                                         | read as text      |
| `integer`       | whole number, at least `minimum`                      | `FieldReader.integer` |
| `number`        | number from `minimum` to `maximum`                    |                   |
| `date`          | YYYY-MM-DD                                            | `FieldReader.date` |
| `flag`          | true / false                                          |                   |
| `texts`         | list of non-empty texts                               | `FieldReader.text_list` |
| `text_or_texts` | one text or a list of them                            |                   |
| `mapping`       | the mapping of `fields` (`open`: keys checked elsewhere) | `FieldReader.section` |
| `mappings`      | list of mappings of `fields`                          | `FieldReader.mappings` |
| `list`          | list of values read as `value` (e.g. a `one_of`)      |                   |
| `table`         | mapping of `keys` (or any key) to values read as `value` |                |
| `one_of`        | a value of one of the `alternatives` (each a field definition) |          |

`required` means the key must be present and not empty; `filled` means it may be left out but
not given empty. `choices` restricts a value to a fixed set.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

TEXT = "text"
MARKDOWN = "markdown"
INTEGER = "integer"
NUMBER = "number"
DATE = "date"
FLAG = "flag"
TEXTS = "texts"
TEXT_OR_TEXTS = "text_or_texts"
MAPPING = "mapping"
MAPPINGS = "mappings"
TABLE = "table"
ONE_OF = "one_of"
LIST = "list"
TYPES = (TEXT, MARKDOWN, INTEGER, NUMBER, DATE, FLAG, TEXTS, TEXT_OR_TEXTS, MAPPING, MAPPINGS, TABLE, ONE_OF, LIST)


@dataclass(frozen=True)
class Field:
    """One key of a YAML mapping: its type, whether it is required, its Chinese name and meaning.

    `fields` are the keys of a `mapping` (or of each item of `mappings`); `keys` and `value`
    describe a `table` (allowed keys, empty for any; how each value is read), `value` also the
    items of a `list`; `alternatives` the
    forms a `one_of` value may take; `scalars` are the YAML scalar types a `text` accepts (JSON
    Schema names); `pattern` a regular expression a `text` must match (the reader that checks it
    uses the same pattern).
    """

    name: str
    type: str
    required: bool = False
    label: str = ""
    doc: str = ""
    fields: tuple["Field", ...] = ()
    choices: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    keys: tuple[str, ...] = ()
    value: "Field | None" = None
    open: bool = False
    filled: bool = False
    min_items: int = 0
    scalars: tuple[str, ...] = ("string", "number")
    alternatives: tuple["Field", ...] = ()
    pattern: str = ""

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")

    @property
    def names(self) -> set[str]:
        """The keys a mapping of this field may hold."""
        return {field.name for field in self.fields}

    def __getitem__(self, name: str) -> "Field":
        """The definition of key `name` of this mapping (KeyError when it has none)."""
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(f"{self.name} has no field {name}")

    def with_field(self, field: "Field") -> "Field":
        """This mapping with `field` added, or replacing the field of the same name."""
        kept = tuple(f for f in self.fields if f.name != field.name)
        if len(kept) == len(self.fields):
            return dataclasses.replace(self, fields=(*self.fields, field))
        return dataclasses.replace(self, fields=tuple(field if f.name == field.name else f for f in self.fields))


def mapping(name: str, *fields: Field, **options: Any) -> Field:
    """A `mapping` field holding `fields`."""
    return Field(name, MAPPING, fields=tuple(fields), **options)
