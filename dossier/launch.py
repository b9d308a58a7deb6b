"""The `dossier` command's entry point: a signal while Python is still starting ends the run quietly.

Importing the command line takes a second or more on a busy machine (several with a lazily
loaded command such as `sign`). Until the command installs its own handlers
(`dossier.cli.report.ending_on_signals`), Ctrl-C would print Python's KeyboardInterrupt
traceback (or click's "Aborted!"). From the first line here, SIGINT, SIGTERM and SIGHUP end the
process with the one line a stopped run prints and status 128 + the signal's number: nothing
has been written yet.
"""

from __future__ import annotations

import os
import signal

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _stop(signum: int, frame: object) -> None:
    os.write(2, f"error: stopped by {signal.Signals(signum).name}; build/ and the workspace are as they were\n".encode())
    os._exit(128 + signum)


def install() -> None:
    """Handle SIGINT, SIGTERM and SIGHUP as `_stop` until the command installs its own."""
    for signum in SIGNALS:
        signal.signal(signum, _stop)


def main() -> None:
    """Console-script entry point: `install`, then the command line (`dossier.cli.main`)."""
    install()
    from dossier.cli import main as command_line

    command_line()
