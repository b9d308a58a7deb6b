"""Revision schemes: how a document's revision is written and what comes after it.

`dossier.yaml` picks one scheme for the whole workspace with `revision_scheme:`:

- `letters`: A, B, … Z, then AA, AB, … AZ, BA, … (every letter is used, I, O and Q included,
  like spreadsheet columns, so the sequence never needs a lookup table). Every revision is a
  major one: asking for a minor bump is an error.
- `edition`: edition letter and change number, A/0, A/1, … then B/0. A minor bump raises the
  change number, a major bump the edition letter (same letter sequence as `letters`).
- `numeric`: 1.0, 1.1, … then 2.0. A minor bump raises the second number, a major the first.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from string import ascii_uppercase

_LETTERS = re.compile(r"[A-Z]+")
_NUMBER = r"(?:0|[1-9][0-9]*)"
_EDITION = re.compile(rf"([A-Z]+)/({_NUMBER})")
_NUMERIC = re.compile(rf"({_NUMBER})\.({_NUMBER})")


def _letters_to_int(letters: str) -> int:
    """A -> 1, Z -> 26, AA -> 27 (bijective base 26)."""
    value = 0
    for char in letters:
        value = value * 26 + ascii_uppercase.index(char) + 1
    return value


def _int_to_letters(value: int) -> str:
    """Inverse of `_letters_to_int` for value >= 1."""
    out = []
    while value:
        value, rest = divmod(value - 1, 26)
        out.append(ascii_uppercase[rest])
    return "".join(reversed(out))


class RevisionScheme(ABC):
    """One way of writing revisions; `next` bumps, `sort_key` orders them."""

    name: str
    example: str

    @abstractmethod
    def first(self) -> str:
        """The revision of a document's first release."""

    @abstractmethod
    def is_valid(self, rev: str) -> bool:
        """Whether `rev` is written the way this scheme writes revisions."""

    @abstractmethod
    def next(self, rev: str, minor: bool = False) -> str:
        """The revision after `rev`: a major bump, or a minor one when `minor` is true."""

    @abstractmethod
    def sort_key(self, rev: str) -> tuple[int, ...]:
        """A key that orders revisions of this scheme from oldest to newest."""

    @abstractmethod
    def describe(self) -> str:
        """One English line explaining the scheme (for help texts and error messages)."""

    def _check(self, rev: str) -> None:
        if not isinstance(rev, str) or not self.is_valid(rev):
            raise ValueError(
                f"revision {rev!r} is not a valid {self.name} revision (expected e.g. {self.example})"
            )


class LettersScheme(RevisionScheme):
    """A, B, … Z, AA, AB …; major bumps only."""

    name = "letters"
    example = "A, B, AA"

    def first(self) -> str:
        """The first revision of this scheme."""
        return "A"

    def is_valid(self, rev: str) -> bool:
        """True when `rev` is a revision of this scheme."""
        return isinstance(rev, str) and _LETTERS.fullmatch(rev) is not None

    def next(self, rev: str, minor: bool = False) -> str:
        """The revision after `rev` (the next minor one when `minor`)."""
        self._check(rev)
        if minor:
            raise ValueError(
                "the letters revision scheme has no minor revisions: "
                f"the next revision after {rev} is {self.next(rev)} (a major bump)"
            )
        return _int_to_letters(_letters_to_int(rev) + 1)

    def sort_key(self, rev: str) -> tuple[int, ...]:
        """A key that sorts revisions in release order."""
        self._check(rev)
        return (_letters_to_int(rev),)

    def describe(self) -> str:
        """The scheme in words, for messages."""
        return "letters: A, B, … Z, AA, AB …; every revision is a major one (no minor bumps)"


class EditionScheme(RevisionScheme):
    """Edition letter / change number: A/0, A/1 … B/0."""

    name = "edition"
    example = "A/0, A/1, B/0"

    def first(self) -> str:
        """The first revision of this scheme."""
        return "A/0"

    def is_valid(self, rev: str) -> bool:
        """True when `rev` is a revision of this scheme."""
        return isinstance(rev, str) and _EDITION.fullmatch(rev) is not None

    def next(self, rev: str, minor: bool = False) -> str:
        """The revision after `rev` (the next minor one when `minor`)."""
        edition, change = self._parts(rev)
        if minor:
            return f"{edition}/{change + 1}"
        return f"{_int_to_letters(_letters_to_int(edition) + 1)}/0"

    def sort_key(self, rev: str) -> tuple[int, ...]:
        """A key that sorts revisions in release order."""
        edition, change = self._parts(rev)
        return (_letters_to_int(edition), change)

    def describe(self) -> str:
        """The scheme in words, for messages."""
        return (
            "edition: edition letter/change number, A/0, A/1 … B/0; "
            "a minor bump raises the change number, a major bump the edition letter"
        )

    def _parts(self, rev: str) -> tuple[str, int]:
        self._check(rev)
        edition, change = _EDITION.fullmatch(rev).groups()
        return edition, int(change)


class NumericScheme(RevisionScheme):
    """Major.minor numbers: 1.0, 1.1 … 2.0."""

    name = "numeric"
    example = "1.0, 1.1, 2.0"

    def first(self) -> str:
        """The first revision of this scheme."""
        return "1.0"

    def is_valid(self, rev: str) -> bool:
        """True when `rev` is a revision of this scheme."""
        return isinstance(rev, str) and _NUMERIC.fullmatch(rev) is not None

    def next(self, rev: str, minor: bool = False) -> str:
        """The revision after `rev` (the next minor one when `minor`)."""
        major, minor_no = self._parts(rev)
        if minor:
            return f"{major}.{minor_no + 1}"
        return f"{major + 1}.0"

    def sort_key(self, rev: str) -> tuple[int, ...]:
        """A key that sorts revisions in release order."""
        return self._parts(rev)

    def describe(self) -> str:
        """The scheme in words, for messages."""
        return (
            "numeric: 1.0, 1.1 … 2.0; "
            "a minor bump raises the second number, a major bump the first"
        )

    def _parts(self, rev: str) -> tuple[int, int]:
        self._check(rev)
        major, minor = _NUMERIC.fullmatch(rev).groups()
        return int(major), int(minor)


_SCHEMES: dict[str, RevisionScheme] = {
    s.name: s for s in (LettersScheme(), EditionScheme(), NumericScheme())
}

SCHEME_NAMES: tuple[str, ...] = tuple(_SCHEMES)
DEFAULT_SCHEME = "letters"


def scheme(name: str) -> RevisionScheme:
    """The revision scheme called `name` (letters, edition or numeric); ValueError otherwise."""
    try:
        return _SCHEMES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown revision scheme {name!r}: expected one of {', '.join(SCHEME_NAMES)}"
        ) from None
