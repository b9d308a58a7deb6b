"""The `dossier` command line: one click group, every error printed as one line per problem."""

from __future__ import annotations

import sys

import click

from dossier import __version__
from dossier.disinfectant.cli import disinfectant
from dossier.errors import DossierError
from dossier.signing.cli import sign_command, verify_command


class DossierGroup(click.Group):
    """Click group that turns DossierError into stderr lines and its exit code (no traceback)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DossierError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=DossierGroup)
@click.version_option(__version__, prog_name="dossier")
def cli() -> None:
    """Build controlled regulatory documents from YAML + Markdown."""


cli.add_command(disinfectant)
cli.add_command(sign_command)
cli.add_command(verify_command)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="dossier")
    sys.exit(0)
