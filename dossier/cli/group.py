"""The `dossier` click group: commands loaded when used, every error one `error:` line, exit statuses.

`DossierGroup.main` runs the command line as click's standalone mode does, except that usage errors,
failed writes to standard output and unwritable standard error end as `dossier.cli.report` says;
`invoke` turns what a command raised into its lines on stderr and its exit status.
"""

from __future__ import annotations

import importlib
import sys

import click

from dossier.cli.report import (
    READER_GONE_STATUS,
    Interrupted,
    debugging,
    ending_on_signals,
    lossy_stderr,
    output_failure,
    quiet_libraries,
    reader_gone,
    unexpected,
    usage_lines,
)
from dossier.errors import EXIT_TOOL, DossierError

# name -> (implementation, first paragraph of its help: what `dossier --help` lists without importing it;
# tests/cli/test_help.py keeps it equal to the command's own help)
LAZY_COMMANDS = {
    "disinfectant": ("dossier.cli.disinfectant:disinfectant",
                     "Disinfection-product hygiene-safety evaluation and filing (消毒产品卫生安全评价)."),
    "sign": ("dossier.cli.signing:sign_command",
             "Sign PDFs in place with a signing profile (PAdES; each signature an incremental update)."),
    "verify": ("dossier.cli.signing:verify_command",
               "Verify signed PDFs; for a workspace also its release ledger and archive."),
    "diff": ("dossier.cli.diff:diff_command",
             "Redline between two revisions: tracked-changes .docx, its PDF, and a change summary."),
    "qualify": ("dossier.cli.qualify:qualify_command",
                "Installation and operational qualification of dossier on this machine: 软件确认报告 (.docx, .pdf) in DIRECTORY."),
    "status": ("dossier.cli.status:status_command",
               "Every document's revision, state, next review and flags, and each validation plan object's state and "
               "next due date; one document in full; what is due; or the spots left open (--open)."),
    "issue": ("dossier.cli.copies:issue_command",
              "Issue copies of the released revision: stamped PDFs in build/copies/ and a ledger entry each."),
    "recall": ("dossier.cli.copies:recall_command",
               "Record that an issued copy came back (回收)."),
    "destroy": ("dossier.cli.copies:destroy_command",
                "Record the destruction (销毁) of a returned copy."),
    "review": ("dossier.cli.copies:review_command",
               "Record a periodic review of the revision in force."),
    "schema": ("dossier.cli.schema:schema_command",
               "Write JSON Schemas of dossier.yaml, document YAML (one per kind) and product.yaml."),
    "site": ("dossier.cli.site:site_command",
             "Write the static site: master list, one page per document, disinfectant products, dashboard."),
    "coverage": ("dossier.cli.coverage:coverage_command",
                 "Each article, its status (covered, not_applicable, gap, informative) and the documents meeting it."),
}


def _usage_error(exc: click.ClickException) -> None:
    """A bad option or argument as `error:` lines on stderr; a group called without a command shows its help as is."""
    if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
        exc.show()  # `dossier`, `dossier disinfectant`: the help, on stderr, exit 2
        return
    for line in usage_lines(exc):
        click.echo(line, err=True)


class DossierGroup(click.Group):
    """Click group that turns DossierError into stderr lines and its exit code (no traceback).

    Sub-commands with heavy imports (signing, disinfectant) load only when used, so quick
    commands such as a no-op `build` start fast.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, the lazily loaded ones included."""
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """The command `name`, importing a lazily loaded one on first use."""
        if name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[name][0].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `dossier --help`; lazily loaded commands are listed from LAZY_COMMANDS, not imported."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            if name in LAZY_COMMANDS:
                rows.append((name, click.Command(name, help=LAZY_COMMANDS[name][1]).get_short_help_str(limit)))
            else:
                command = super().get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(self, *args, **kwargs):
        """Run the command line and exit with its status, as click's standalone mode does, except that a bad
        option or command at the top (`dossier --bogus`) is an `error:` line (exit 2) like one after a command."""
        kwargs.pop("standalone_mode", None)
        with lossy_stderr():
            status = self._run(*args, **kwargs)
        sys.exit(status)

    def _run(self, *args, **kwargs) -> int:
        """The exit status of the command line, its messages printed (`main` without the exit)."""
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
        except click.Abort:  # end of input at a prompt
            click.echo("error: aborted", err=True)
            return 1
        except click.ClickException as exc:
            _usage_error(exc)
            return exc.exit_code
        except OSError as exc:  # writing --help, --version or a usage line to standard output failed
            return _report_output_failure(exc)
        except SystemExit as exc:  # click ends an EPIPE while printing --help or --version itself, with 1
            if exc.code == 1 and reader_gone():
                return READER_GONE_STATUS
            raise
        try:
            if sys.stdout is not None:  # None: started with standard output closed (`>&-`)
                sys.stdout.flush()  # here, not at interpreter exit: a failure is reported, not printed as a traceback
        except OSError as exc:
            return _report_output_failure(exc)
        return status if isinstance(status, int) else 0  # ctx.exit(n) (errors, --help, --version) returns n here

    def invoke(self, ctx: click.Context):
        """Run the command; a DossierError becomes its lines on stderr and its exit code.

        Every line printed for an error starts with `error: ` (see dossier.cli.report); the
        libraries' logs and warnings stay quiet.
        """
        try:
            with quiet_libraries(), ending_on_signals():
                return super().invoke(ctx)
        except Interrupted as exc:
            click.echo(exc.line(), err=True)
            ctx.exit(exc.exit_code)
        except DossierError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:  # the build directory is read-only, a file where a folder should be, disk full
            printing = output_failure(exc)  # or printing failed: `| head` stopped reading, `> /dev/full`
            if printing is not None:
                for line in printing[0]:
                    click.echo(line, err=True)
                ctx.exit(printing[1])
            where = exc.filename or "file system"
            click.echo(f"error: {where}: {exc.strerror or exc}", err=True)
            ctx.exit(EXIT_TOOL)
        except (click.exceptions.Exit, click.Abort):
            raise
        except click.ClickException as exc:  # a bad option or argument: click would print "Error: …"
            _usage_error(exc)
            ctx.exit(exc.exit_code)
        except Exception as exc:
            if debugging():
                raise
            lines, status = unexpected(exc)
            for line in lines:
                click.echo(line, err=True)
            ctx.exit(status)


def _report_output_failure(exc: OSError) -> int:
    """Print what a failed write to standard output means (see dossier.cli.report); its exit status."""
    lines, status = output_failure(exc, writing=True) or ([], EXIT_TOOL)
    for line in lines:
        click.echo(line, err=True)
    return status
