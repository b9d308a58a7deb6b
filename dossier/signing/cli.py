"""`dossier sign` and `dossier verify`."""

import click


@click.command("sign")
def sign_command() -> None:
    """Sign PDFs with a signing profile."""


@click.command("verify")
def verify_command() -> None:
    """Verify signed PDFs, the release ledger and the archive."""
