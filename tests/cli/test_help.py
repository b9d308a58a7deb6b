"""The command line's own surface: `dossier --help` lists every command without importing the lazily
loaded ones, and a bad option or command at the top level is one `error:` line, exit 2."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys

import click
import pytest

from dossier.cli.group import LAZY_COMMANDS
from tests.conftest import REPO


def _dossier(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dossier", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_the_listed_help_of_a_lazy_command_is_its_own(name: str) -> None:
    target, listed = LAZY_COMMANDS[name]
    module, attr = target.split(":")
    command = getattr(importlib.import_module(module), attr)
    first = " ".join(inspect.cleandoc(command.help or "").split("\n\n")[0].split())
    assert listed == first
    for limit in (30, 45, 80, 200):
        assert click.Command(name, help=listed).get_short_help_str(limit) == command.get_short_help_str(limit)


def test_help_lists_every_command_without_importing_the_lazy_ones() -> None:
    probe = ("import sys; from dossier.cli import main; sys.argv = ['dossier', '--help']\n"
             "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
             "print('LOADED', sorted(m for m in sys.modules if m.startswith(('dossier.cli.', 'pyhanko', 'fontTools'))))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    listed = {line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines() if line.strip() and not line.startswith("LOADED")}
    assert set(LAZY_COMMANDS) | {"build", "check", "init", "release", "revise", "obsolete", "register"} <= listed
    loaded = done.stdout.split("LOADED")[1]
    assert "pyhanko" not in loaded and "fontTools" not in loaded
    assert not any(f"dossier.cli.{target.split(':')[0].rsplit('.', 1)[1]}'" in loaded
                   for target, _ in LAZY_COMMANDS.values() if target.split(":")[0] != "dossier.cli.report")
    assert "Disinfection-product hygiene-safety evaluation and filing" in done.stdout


@pytest.mark.parametrize("args, expected", [
    (["--bogus"], "error: No such option '--bogus'. (see dossier --help)"),
    (["frobnicate"], "error: No such command 'frobnicate'. (see dossier --help)"),
    (["build", "--bogus"], "error: No such option '--bogus'. (see dossier build --help)"),
])
def test_a_bad_option_or_command_at_the_top_is_one_error_line(args: list[str], expected: str) -> None:
    done = _dossier(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [expected]


def test_version_and_help_still_exit_0() -> None:
    assert _dossier("--version").returncode == 0
    done = _dossier("build", "--help")
    assert done.returncode == 0 and "Usage: dossier build" in done.stdout


@pytest.mark.parametrize("args", [[], ["disinfectant"]])
def test_a_group_without_a_command_shows_its_help_as_is(args: list[str]) -> None:
    done = _dossier(*args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"Usage: dossier {' '.join(args)}".rstrip() + " [OPTIONS] COMMAND [ARGS]...")
    assert "error:" not in done.stderr and "\n\n" in done.stderr
