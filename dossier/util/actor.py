"""Who runs a command and which program version: recorded in every ledger entry (device GMP Art. 46(2)).

The actor comes, in this order, from `DOSSIER_ACTOR`, the CI system's user variable (`CI_ACTORS`,
a table), the git `user.name` configured for the workspace, and the operating-system login name.
"""

from __future__ import annotations

import getpass
import os
import subprocess
from pathlib import Path

from dossier import __version__

TOOL = f"dossier {__version__}"

# (variable, CI system) in the order they are tried; the first one set names the actor
CI_ACTORS = (
    ("GITHUB_ACTOR", "GitHub Actions"),
    ("GITLAB_USER_LOGIN", "GitLab CI"),
    ("BUILD_REQUESTEDFOREMAIL", "Azure Pipelines"),
    ("BITBUCKET_STEP_TRIGGERER_UUID", "Bitbucket Pipelines"),
    ("GITEA_ACTOR", "Gitea Actions"),
    ("BUILD_USER_ID", "Jenkins (build-user-vars plugin)"),
)


def current_actor(workspace: Path | None = None) -> str:
    """The person (or account) running this command, as the ledger records it.

    `DOSSIER_ACTOR` when set; else `NAME (CI system)` from the first CI variable set; else the
    git `user.name` of `workspace` (or of the current folder); else the login name. Never empty:
    `unknown` when nothing names anyone.
    """
    explicit = os.environ.get("DOSSIER_ACTOR", "").strip()
    if explicit:
        return explicit
    for variable, system in CI_ACTORS:
        value = os.environ.get(variable, "").strip()
        if value:
            return f"{value} ({system})"
    git = _git_user(workspace)
    if git:
        return git
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _git_user(workspace: Path | None) -> str:
    try:
        done = subprocess.run(["git", "config", "user.name"], cwd=workspace or None, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
