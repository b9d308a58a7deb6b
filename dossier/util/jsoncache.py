"""Reading the tool's own JSON cache files (build/.cache/*.json) as untrusted input.

A cache is a convenience: whatever is in its place — not a regular file (a FIFO would block the
read), unreadable, larger than MAX_BYTES (16 MB), not UTF-8 JSON, nested deeper than Python's parser
goes — is read as no cache at all, never as an error and never trusted. Callers check the
shapes of what they take from the value (`is_pairs`).
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

MAX_BYTES = 16 * 1024 * 1024  # a cache of 10,000 documents is a few MB


def read_cache(path: Path) -> Any | None:
    """The JSON value in `path`, or None when there is no usable file there (see module docstring)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        return json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def is_pairs(value: Any, key_type: type = str, value_type: type = str) -> bool:
    """True when `value` is a dict whose keys are all `key_type` and values all `value_type`."""
    return isinstance(value, dict) and all(isinstance(k, key_type) and isinstance(v, value_type) for k, v in value.items())
