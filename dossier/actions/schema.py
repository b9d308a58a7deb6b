"""`dossier schema`: JSON Schemas of the workspace files for editors, from the loader's field definitions.

Writes `dossier.schema.json` (dossier.yaml, with `signing:`), `document.<kind>.schema.json` (a
document of one kind: the common fields and that kind's blocks), `document.schema.json` (any
document, chosen by its `kind`), `product.schema.json` (a disinfectant product) and
`labs.schema.json` (the laboratories of the disinfectant products) and `external.schema.json` (the
external-document register, external.yaml). The fields
come from `dossier.workspace.definitions`, `dossier.validate.blocks`, `dossier.signing.spec` and
`dossier.disinfectant.spec`, the definitions the loader itself reads with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dossier.disinfectant.spec import LABS_FILE, PRODUCT_FILE
from dossier.signing.spec import SIGNING
from dossier.util.atomic import write_text
from dossier.validate.blocks import BLOCK_FIELDS
from dossier.workspace.definitions import CONFIG, DOCUMENT, EXTERNAL_FILE
from dossier.workspace.kinds import KINDS
from dossier.workspace.schema import DRAFT, file_schema, object_schema
from dossier.workspace.spec import TEXT, Field

SCHEMA_DIR = "schemas"
CONFIG_SCHEMA = "dossier.schema.json"
DOCUMENT_SCHEMA = "document.schema.json"
PRODUCT_SCHEMA = "product.schema.json"
LABS_SCHEMA = "labs.schema.json"
EXTERNAL_SCHEMA = "external.schema.json"


def kind_schema_name(kind: str) -> str:
    """File name of the schema of a document of `kind`."""
    return f"document.{kind}.schema.json"


def document_field(kind: str) -> Field:
    """The fields of a document of `kind`: the common ones (kind fixed) and the blocks the kind takes."""
    info = KINDS[kind]
    common = DOCUMENT["kind"]
    field = DOCUMENT.with_field(Field("kind", TEXT, required=True, choices=(kind,), label=common.label, doc=info.label))
    for block in info.fields:
        field = field.with_field(BLOCK_FIELDS[block])
    return Field(field.name, field.type, label=f"{info.label}（{kind}）", fields=field.fields)


def _any_document() -> dict[str, Any]:
    """One schema for every document file, choosing the kind's schema by `kind`."""
    kinds = list(KINDS)
    return {
        "$schema": DRAFT,
        "title": DOCUMENT.label,
        "description": "a document of content/: the fields depend on its kind",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"title": DOCUMENT["kind"].label, "description": DOCUMENT["kind"].doc, "enum": kinds}},
        "allOf": [{"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                   "then": {"$ref": f"#/definitions/{kind}"}} for kind in kinds],
        "definitions": {kind: object_schema(document_field(kind)) for kind in kinds},
    }


def schemas() -> dict[str, dict[str, Any]]:
    """Every schema by file name."""
    out = {
        CONFIG_SCHEMA: file_schema(CONFIG.with_field(SIGNING)),
        DOCUMENT_SCHEMA: _any_document(),
        PRODUCT_SCHEMA: file_schema(PRODUCT_FILE),
        LABS_SCHEMA: file_schema(LABS_FILE),
        EXTERNAL_SCHEMA: file_schema(EXTERNAL_FILE),
    }
    for kind in KINDS:
        out[kind_schema_name(kind)] = file_schema(document_field(kind))
    return dict(sorted(out.items()))


def schema_text(schema: dict[str, Any]) -> str:
    """A schema as the file holds it (indented JSON, Chinese kept, one trailing newline)."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write every schema into `out`; returns the paths written, sorted."""
    written = []
    for name, schema in schemas().items():
        path = out / name
        write_text(path, schema_text(schema))
        written.append(path)
    return written


def editor_settings(schema_dir: str = SCHEMA_DIR, content_dir: str = "content", external_file: str = "external.yaml") -> str:
    """`.vscode/settings.json` mapping the workspace files to their schemas (the YAML extension)."""
    settings = {"yaml.schemas": {
        f"./{schema_dir}/{CONFIG_SCHEMA}": "dossier.yaml",
        f"./{schema_dir}/{DOCUMENT_SCHEMA}": f"{content_dir}/*.yaml",
        f"./{schema_dir}/{PRODUCT_SCHEMA}": f"{content_dir}/disinfectant/*/product.yaml",
        f"./{schema_dir}/{LABS_SCHEMA}": f"{content_dir}/disinfectant/labs.yaml",
        f"./{schema_dir}/{EXTERNAL_SCHEMA}": external_file,
    }}
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def modeline(schema_path: str) -> str:
    """The comment line that tells the YAML language server which schema a file follows."""
    return f"# yaml-language-server: $schema={schema_path}\n"
