"""Block alignment: equal blocks pair up, blocks of a changed stretch pair by similarity."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from typing import Any, TypeVar

from dossier.redline.tags import P

PARAGRAPH_SIMILARITY = 0.5  # paired as "changed" at or above this ratio, else removed + added
TABLE_SIMILARITY = 0.3
ROW_SIMILARITY = 0.5
_MAX_PAIRING = 40_000  # blocks compared pairwise in one changed stretch (beyond: removed + added)
_MAX_LCS = 250_000  # cells of the exact common-subsequence table (beyond: difflib's greedy matching)

Block = TypeVar("Block")


def ratio(a: str, b: str, threshold: float) -> float:
    """Similarity of two texts, or -1 when it is below `threshold`."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return -1.0
    value = matcher.ratio()
    return value if value >= threshold else -1.0


def _pair_stretch(olds: Sequence[Block], news: Sequence[Block], similar: Callable[[Block, Block], float]
                  ) -> list[tuple[Block | None, Block | None]]:
    """Pair blocks of a changed stretch monotonically for the best total similarity.

    `similar` gives a score, or a negative number when two blocks must not be paired. Unpaired
    blocks are removed (listed before) or added (listed after) between the pairs.
    """
    m, n = len(olds), len(news)
    if not m or not n or m * n > _MAX_PAIRING:
        return [(o, None) for o in olds] + [(None, x) for x in news]
    score = [[similar(o, x) for x in news] for o in olds]
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for i in reversed(range(m)):
        for j in reversed(range(n)):
            value = max(best[i + 1][j], best[i][j + 1])
            if score[i][j] >= 0:
                value = max(value, score[i][j] + best[i + 1][j + 1])
            best[i][j] = value
    pairs: list[tuple[Block | None, Block | None]] = []
    removed: list[Block] = []
    added: list[Block] = []
    i = j = 0
    while i < m and j < n:
        if score[i][j] >= 0 and best[i][j] == score[i][j] + best[i + 1][j + 1]:
            pairs += [(o, None) for o in removed] + [(None, x) for x in added] + [(olds[i], news[j])]
            removed, added = [], []
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            removed.append(olds[i])
            i += 1
        else:
            added.append(news[j])
            j += 1
    removed += olds[i:]
    added += news[j:]
    return pairs + [(o, None) for o in removed] + [(None, x) for x in added]


def align_blocks(olds: Sequence[Block], news: Sequence[Block], key_old: Callable[[Block], str],
                 key_new: Callable[[Block], str], similar: Callable[[Block, Block], float]
                 ) -> list[tuple[Block | None, Block | None]]:
    """Align two block sequences: the longest common subsequence of equal keys pairs up (rows swapped
    at a distance leave the rows between them paired), changed stretches between pair by similarity."""
    a, b = [key_old(block) for block in olds], [key_new(block) for block in news]
    pairs: list[tuple[Block | None, Block | None]] = []
    i = j = 0
    for match_i, match_j in [*_common(a, b), (len(a), len(b))]:
        if match_i > i or match_j > j:
            pairs += _pair_stretch(olds[i:match_i], news[j:match_j], similar)
        if match_i < len(a):
            pairs.append((olds[match_i], news[match_j]))
        i, j = match_i + 1, match_j + 1
    return pairs


def _common(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """(i, j) of the matched items of a longest common subsequence of `a` and `b`, in order.

    Common ends are taken first; the rest is solved exactly (dynamic programming) up to
    _MAX_LCS cells, beyond that by difflib's matching blocks (greedy: good enough for long bodies).
    """
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start:len(a) - end], b[start:len(b) - end]
    head = [(k, k) for k in range(start)]
    tail = [(len(a) - end + k, len(b) - end + k) for k in range(end)]
    m, n = len(middle_a), len(middle_b)
    if m * n > _MAX_LCS:
        blocks = SequenceMatcher(None, middle_a, middle_b, autojunk=False).get_matching_blocks()
        middle = [(start + x + k, start + y + k) for x, y, size in blocks for k in range(size)]
        return head + middle + tail
    length = [[0] * (n + 1) for _ in range(m + 1)]
    for x in range(m - 1, -1, -1):
        row, below, item = length[x], length[x + 1], middle_a[x]
        for y in range(n - 1, -1, -1):
            row[y] = below[y + 1] + 1 if item == middle_b[y] else max(below[y], row[y + 1])
    middle: list[tuple[int, int]] = []
    x = y = 0
    while x < m and y < n:
        if middle_a[x] == middle_b[y] and length[x][y] == length[x + 1][y + 1] + 1:
            middle.append((start + x, start + y))
            x, y = x + 1, y + 1
        elif length[x + 1][y] >= length[x][y + 1]:
            x += 1
        else:
            y += 1
    return head + middle + tail


def pair_last_paragraphs(pairs: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """At the end of a container, a removed last paragraph and an added last one become a pair."""
    tail = len(pairs)
    while tail and (pairs[tail - 1][0] is None or pairs[tail - 1][1] is None):
        tail -= 1
    removed = [k for k in range(tail, len(pairs)) if pairs[k][1] is None]
    added = [k for k in range(tail, len(pairs)) if pairs[k][0] is None]
    if not removed or not added:
        return pairs
    last_old, last_new = pairs[removed[-1]][0], pairs[added[-1]][1]
    if last_old.tag != P or last_new.tag != P:
        return pairs
    kept = [p for k, p in enumerate(pairs) if k not in (removed[-1], added[-1])]
    return kept + [(last_old, last_new)]
