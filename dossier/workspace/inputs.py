"""Paths a user writes (an image in a body, a body file, a material, a seal, a setting under `paths:`).

Every such path must lie, after following symbolic links, inside the folder it belongs to (the
workspace's content folder for what documents and products embed, the workspace itself for
`paths:`), or it is an input error. The check comes before any look at the file, so the message
is the same whether or not an outside file exists: `check` cannot be used to probe the machine.
"""

from __future__ import annotations

from pathlib import Path


def resolve_inside(base: Path, name: str, folder: Path) -> Path | None:
    """`base / name` with symbolic links followed, or None when it lies outside `folder` (or cannot be resolved)."""
    try:
        target = (base / name).resolve()
        return target if target.is_relative_to(folder.resolve()) else None
    except (OSError, RuntimeError, ValueError):  # a symbolic link loop, a NUL byte
        return None


def outside_message(name: str, folder: str) -> str:
    """The one message for a path outside its folder (existing or not)."""
    return f"{name}: not inside {folder.rstrip('/')}/ (only files in that folder can be used; links out of it count as outside)"
