"""JSON Schema (draft 7, what the YAML language server reads) from `Field` definitions.

The schema accepts what the loader accepts and rejects what it rejects where JSON Schema can
say so: unknown keys, wrong types, missing required fields, values outside their choices or
range. Rules that need more than one file (a citation, a sibling Markdown body) stay with
`dossier check`. Optional values may be left empty (`key:`), as the loader allows.
"""

from __future__ import annotations

from typing import Any

from dossier.workspace.spec import (
    DATE,
    FLAG,
    INTEGER,
    LIST,
    MAPPING,
    MAPPINGS,
    MARKDOWN,
    NUMBER,
    ONE_OF,
    TABLE,
    TEXT,
    TEXT_OR_TEXTS,
    TEXTS,
    Field,
)

DRAFT = "http://json-schema.org/draft-07/schema#"
_NOT_BLANK = r"\S"
_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _described(field: Field, schema: dict[str, Any]) -> dict[str, Any]:
    if field.label:
        schema["title"] = field.label
    if field.doc:
        schema["description"] = field.doc
    return schema


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or left empty (YAML null), as an optional key may be."""
    types = schema.get("type")
    if isinstance(types, str):
        schema["type"] = [types, "null"]
    elif isinstance(types, list) and "null" not in types:
        schema["type"] = [*types, "null"]
    elif "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    elif "anyOf" in schema:
        schema["anyOf"] = [*schema["anyOf"], {"type": "null"}]
    return schema


def _text(field: Field, must_fill: bool) -> dict[str, Any]:
    if field.choices:
        return {"enum": list(field.choices)}
    schema: dict[str, Any] = {"type": list(field.scalars) if len(field.scalars) > 1 else field.scalars[0]}
    if field.pattern:
        schema["pattern"] = field.pattern
    elif must_fill:
        schema["pattern"] = _NOT_BLANK
    return schema


def _items_of_text() -> dict[str, Any]:
    return {"type": ["string", "number"], "pattern": _NOT_BLANK}


def _value(field: Field) -> dict[str, Any]:
    """The schema of the value of `field`, without the optional null."""
    must_fill = field.required or field.filled
    if field.type in (TEXT, MARKDOWN):
        return _text(field, must_fill)
    if field.type in (INTEGER, NUMBER):
        schema: dict[str, Any] = {"type": "integer" if field.type == INTEGER else "number"}
        if field.minimum is not None:
            schema["minimum"] = field.minimum
        if field.maximum is not None:
            schema["maximum"] = field.maximum
        return schema
    if field.type == DATE:
        return {"type": "string", "pattern": _DATE if field.required else r"^(\d{4}-\d{2}-\d{2})?$"}
    if field.type == FLAG:
        return {"type": "boolean"}
    if field.type == TEXTS:
        schema = {"type": "array", "items": {"enum": list(field.choices)} if field.choices else _items_of_text()}
        if field.min_items or field.required:
            schema["minItems"] = max(field.min_items, 1)
        return schema
    if field.type == TEXT_OR_TEXTS:
        return {"type": ["string", "array"], "items": {"type": "string"}}
    if field.type == MAPPING:
        return object_schema(field)
    if field.type == MAPPINGS:
        schema = {"type": "array", "items": object_schema(field)}
        if field.min_items:
            schema["minItems"] = field.min_items
        return schema
    if field.type == LIST:
        schema = {"type": "array", "items": _value(field.value) if field.value else {}}
        if field.min_items or field.required:
            schema["minItems"] = max(field.min_items, 1)
        return schema
    if field.type == ONE_OF:
        return {"anyOf": [_value(alternative) for alternative in field.alternatives]}
    if field.type == TABLE:
        value = property_schema(field.value) if field.value else {}
        schema = {"type": "object"}
        if field.keys:
            schema["properties"] = {key: value for key in field.keys}
            schema["additionalProperties"] = False
        else:
            schema["additionalProperties"] = value
        return schema
    raise ValueError(f"{field.name}: no JSON Schema for type {field.type}")


def property_schema(field: Field) -> dict[str, Any]:
    """The schema of one key's value: its type, and empty allowed when it is optional."""
    schema = _value(field)
    if not (field.required or field.filled):
        schema = _optional(schema)
    return {**_described(field, {}), **schema}


def object_schema(field: Field) -> dict[str, Any]:
    """The schema of a mapping: its keys (no others, unless `open`), the required ones."""
    schema: dict[str, Any] = {"type": "object"}
    if field.open:
        return schema
    schema["properties"] = {f.name: property_schema(f) for f in field.fields}
    required = [f.name for f in field.fields if f.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def file_schema(field: Field) -> dict[str, Any]:
    """A whole file's schema: the mapping `field` at the top, with `$schema`, title and description."""
    return {"$schema": DRAFT, **_described(field, {}), **object_schema(field)}
