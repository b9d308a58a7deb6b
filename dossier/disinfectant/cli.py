"""`dossier disinfectant ...` commands."""

import click


@click.group()
def disinfectant() -> None:
    """Disinfection-product hygiene-safety evaluation and filing."""
