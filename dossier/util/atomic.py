"""Write files all-or-nothing: a temp file in the same directory, then rename into place.

The temporary file is `.NAME.PID.XXXX.tmp`: a later run removes those of a process that was
killed before the rename (`dossier.util.scratch.remove_stale_tmp`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> None:
    """Atomically replace `path` with `data` (parents are created).

    Raises OSError naming `path` when the data cannot be written (a full disk); `path` is then as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.filename is None:  # a failed write (disk full, quota) names no file: name the one being written
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Atomically replace `path` with UTF-8 `text`."""
    write_bytes(path, text.encode("utf-8"))
