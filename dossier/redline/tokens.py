"""Tokenising paragraphs: one token per CJK character, punctuation mark or object, one per Latin
word or number; the changed segments of a paired paragraph, tiny common fragments folded in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from dossier.redline.read import Atom

FOLD_ATOMS = 2  # a common fragment of at most this many characters between two edits joins them


@dataclass(frozen=True, eq=False)
class Token:
    """Atoms compared as one unit (a CJK character, a Latin word, a number, an object)."""

    key: str
    atoms: tuple[Atom, ...]


def _is_word(char: str | None) -> bool:
    return char is not None and char.isascii() and char.isalnum()


def tokenise(atoms: Sequence[Atom]) -> list[Token]:
    """One token per CJK character, punctuation mark or object; one per Latin word or number."""
    found: list[list[Atom]] = []
    for atom in atoms:
        if _is_word(atom.char) and found and _is_word(found[-1][-1].char):
            found[-1].append(atom)
        else:
            found.append([atom])
    return [Token("".join(a.key for a in group), tuple(group)) for group in found]


def split_tokens(text: str) -> list[str]:
    """Plain text split the way paragraphs are compared (see `tokenise`)."""
    found: list[str] = []
    for char in text:
        if _is_word(char) and found and _is_word(found[-1][-1]):
            found[-1] += char
        else:
            found.append(char)
    return found


def _size(toks: Sequence[Token]) -> int:
    return sum(len(t.atoms) for t in toks)


def _fold(ops: list[tuple[str, int, int, int, int]], old: list[Token], new: list[Token]
          ) -> list[tuple[str, int, int, int, int]]:
    """Join two edits separated by a common fragment no longer than either edit (at most FOLD_ATOMS)."""
    ops = list(ops)
    k = 1
    while k < len(ops) - 1:
        tag, i1, i2, _, _ = ops[k]
        before, after = ops[k - 1], ops[k + 1]
        size = _size(old[i1:i2])
        if (tag == "equal" and before[0] != "equal" and after[0] != "equal" and size <= FOLD_ATOMS
                and size <= max(_size(old[before[1]:before[2]]), _size(new[before[3]:before[4]]))
                and size <= max(_size(old[after[1]:after[2]]), _size(new[after[3]:after[4]]))):
            ops[k - 1:k + 2] = [("replace", before[1], after[2], before[3], after[4])]
            k = max(k - 1, 1)
        else:
            k += 1
    return ops


def segments(old: Sequence[Atom], new: Sequence[Atom]) -> list[tuple[str, list[Atom], list[Atom]]]:
    """("equal" | "delete" | "insert", old atoms, new atoms) in reading order."""
    old_tokens, new_tokens = tokenise(old), tokenise(new)
    matcher = SequenceMatcher(None, [t.key for t in old_tokens], [t.key for t in new_tokens], autojunk=False)
    found: list[tuple[str, list[Atom], list[Atom]]] = []
    for tag, i1, i2, j1, j2 in _fold(matcher.get_opcodes(), old_tokens, new_tokens):
        gone = [a for t in old_tokens[i1:i2] for a in t.atoms]
        came = [a for t in new_tokens[j1:j2] for a in t.atoms]
        if tag == "equal":
            found.append(("equal", gone, came))
            continue
        if gone:
            found.append(("delete", gone, []))
        if came:
            found.append(("insert", [], came))
    return found
