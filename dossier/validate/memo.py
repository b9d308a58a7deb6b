"""What the layout checks found in each body, kept between runs, so that a no-op build does not parse every body again.

The layout queries of `dossier.markdown.lint` (emphasis left on the page, headings, captions
that type their own number) are pure functions of a text. Their answers are kept under the
SHA-256 of the text in `build/.cache/lint.json`, together with a fingerprint of the code that
computes them (the `dossier.markdown` package and the markdown-it versions): a file written by
other code, or one that cannot be read, is ignored, never trusted. Parsing a body costs about
20 ms, so for 300 documents this is most of a no-op build.

`check` and every other command only read the file; `build` writes it with its other outputs,
in the same staged commit (`LintMemo.dumps`), so a failed build writes nothing. The file keeps
the answers for the texts of the last build only.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from dossier.markdown import lint
from dossier.util.jsoncache import read_cache
from dossier.workspace.model import Workspace

MEMO_FILE = Path(".cache") / "lint.json"
FORMAT = 1
_SLOT = "layout-findings"  # the key of the memo in Workspace.caches


@functools.cache
def code_fingerprint() -> str:
    """SHA-256 over the `dossier.markdown` package's files and the markdown-it versions (what the answers depend on)."""
    digest = hashlib.sha256(f"format {FORMAT}\n".encode())
    package = Path(lint.__file__).resolve().parent
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in ("markdown-it-py", "mdit-py-plugins"):
        try:
            digest.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    return digest.hexdigest()


# each query's answer: a list of items of these types (as JSON keeps them: tuples become lists)
SHAPES: dict[str, tuple[type, ...]] = {"leftovers": (int, str), "headings": (int, int, str), "captions": (int, str, str)}


def _shaped(query: str, answer: Any) -> bool:
    types = SHAPES.get(query)
    return types is not None and isinstance(answer, list) and all(
        isinstance(item, list) and len(item) == len(types)
        and all(isinstance(value, kind) and not isinstance(value, bool) for value, kind in zip(item, types))
        and item[0] >= 0
        for item in answer)


class LintMemo:
    """The layout queries of `dossier.markdown.lint`, answered from `build/.cache/lint.json` when the text was seen before.

    Answers have the shapes of the lint functions: `leftovers` [(0-based line, snippet)],
    `headings` [(0-based line, level, text)], `captions` [(0-based line, caption, number)].
    """

    def __init__(self, build_dir: Path):
        self.path = build_dir / MEMO_FILE
        self.known: dict[str, dict[str, Any]] = self._read()
        self.used: dict[str, dict[str, Any]] = {}

    def _read(self) -> dict[str, dict[str, Any]]:
        """The file's answers that have the shapes the lint functions return; the others are dropped (asked again)."""
        data = read_cache(self.path)
        if not isinstance(data, dict) or data.get("code") != code_fingerprint() or not isinstance(data.get("texts"), dict):
            return {}
        kept = {}
        for key, entry in data["texts"].items():
            if isinstance(entry, dict):
                kept[key] = {query: answer for query, answer in entry.items() if _shaped(query, answer)}
        return kept

    def _entry(self, text: str) -> dict[str, Any]:
        key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        entry = self.used.get(key)
        if entry is None:  # a kept answer naming a line the text does not have was not written by this code
            last = text.count("\n")
            entry = self.used[key] = {query: answer for query, answer in self.known.get(key, {}).items()
                                      if all(item[0] <= last for item in answer)}
        return entry

    def _answer(self, text: str, query: str, compute) -> list[tuple]:
        entry = self._entry(text)
        if query not in entry:
            entry[query] = [list(item) for item in compute(text)]
        return [tuple(item) for item in entry[query]]

    def leftovers(self, text: str) -> list[tuple[int, str]]:
        """`lint.leftover_emphasis(text)`."""
        return self._answer(text, "leftovers", lint.leftover_emphasis)

    def headings(self, text: str) -> list[tuple[int, int, str]]:
        """`lint.headings(text)`."""
        return self._answer(text, "headings", lint.headings)

    def captions(self, text: str) -> list[tuple[int, str, str]]:
        """`lint.typed_captions(text)`."""
        return self._answer(text, "captions", lint.typed_captions)

    def dumps(self) -> bytes | None:
        """The file's new content (the answers for the texts of this run), or None when it would not change."""
        if self.used == self.known:
            return None
        data = {"code": code_fingerprint(), "texts": dict(sorted(self.used.items()))}
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def memo_for(ws: Workspace) -> LintMemo:
    """The memo of this run for `ws` (one per loaded workspace), read from its build directory."""
    memo = ws.caches.get(_SLOT)
    if not isinstance(memo, LintMemo):
        memo = ws.caches[_SLOT] = LintMemo(ws.config.build_path)
    return memo
