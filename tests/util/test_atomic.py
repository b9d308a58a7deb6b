"""Atomic writes: whole or not at all, and a failure names the file."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from dossier.util import atomic


class _FullDisk(io.BytesIO):
    def write(self, data: bytes) -> int:  # what a full disk does to a write
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_names_the_file_and_leaves_it_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "QP-01.pdf"
    atomic.write_bytes(target, b"old")
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: (os.close(fd), _FullDisk())[1])
    with pytest.raises(OSError) as raised:
        atomic.write_bytes(target, b"new")
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(target))
    assert target.read_bytes() == b"old" and [p.name for p in target.parent.iterdir()] == ["QP-01.pdf"]
