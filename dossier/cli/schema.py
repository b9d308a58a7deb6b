"""`dossier schema`: write the JSON Schemas editors validate workspace files with."""

from __future__ import annotations

from pathlib import Path

import click

from dossier.actions.schema import SCHEMA_DIR, write_schemas


@click.command("schema")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path(SCHEMA_DIR), show_default=True,
              help="Folder to write the schemas into.")
def schema_command(out: Path) -> None:
    """Write JSON Schemas of dossier.yaml, document YAML (one per kind) and product.yaml.

    They come from the field definitions the loader reads with; `dossier init` maps them for
    editors (.vscode/settings.json, and a `# yaml-language-server: $schema=` line per file).
    """
    for path in write_schemas(out):
        click.echo(f"wrote {path}")
