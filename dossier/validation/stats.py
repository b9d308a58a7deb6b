"""Descriptive statistics and process capability of a list of measured numbers (pure functions).

`cpk` treats the numbers as individual values in the order measured: the within-process
standard deviation is the average moving range divided by d2 = 1.128 (n = 2), as for an
individuals chart; `ppk` uses the overall sample standard deviation (n − 1). Each index is the
smaller of (USL − mean) / 3σ and (mean − LSL) / 3σ over the limits given. A σ of zero gives
infinity (every value equal and inside the limits). Statistics that need two values return
None for fewer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

D2_MOVING_RANGE = 1.128  # d2 for moving ranges of two consecutive values


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean (ValueError for no values)."""
    if not values:
        raise ValueError("mean of no values")
    return math.fsum(values) / len(values)


def sd(values: Sequence[float]) -> float | None:
    """Sample standard deviation (n − 1); None for fewer than two values."""
    if len(values) < 2:
        return None
    centre = mean(values)
    return math.sqrt(math.fsum((x - centre) ** 2 for x in values) / (len(values) - 1))


def rsd(values: Sequence[float]) -> float | None:
    """Relative standard deviation in percent; None for fewer than two values or a zero mean."""
    spread, centre = sd(values), mean(values)
    return None if spread is None or centre == 0 else abs(spread / centre) * 100


def value_range(values: Sequence[float]) -> float:
    """Largest minus smallest value."""
    return max(values) - min(values)


def sigma_within(values: Sequence[float]) -> float | None:
    """Average moving range / d2: the short-term σ of individual values; None for fewer than two."""
    if len(values) < 2:
        return None
    return math.fsum(abs(b - a) for a, b in zip(values, values[1:])) / (len(values) - 1) / D2_MOVING_RANGE


def capability_index(centre: float, sigma: float | None, lsl: float | None, usl: float | None) -> float | None:
    """min((USL − mean)/3σ, (mean − LSL)/3σ) over the limits given; inf when σ is 0; None without σ."""
    if sigma is None:
        return None
    sides = []
    if usl is not None:
        sides.append(usl - centre)
    if lsl is not None:
        sides.append(centre - lsl)
    worst = min(sides)
    if sigma == 0:
        return math.inf if worst >= 0 else -math.inf
    return worst / (3 * sigma)


def cpk(values: Sequence[float], lsl: float | None, usl: float | None) -> float | None:
    """Cpk of individual values (σ from the average moving range)."""
    return capability_index(mean(values), sigma_within(values), lsl, usl)


def ppk(values: Sequence[float], lsl: float | None, usl: float | None) -> float | None:
    """Ppk (σ = overall sample standard deviation)."""
    return capability_index(mean(values), sd(values), lsl, usl)


STATISTIC = {
    "mean": mean,
    "sd": sd,
    "rsd": rsd,
    "min": min,
    "max": max,
    "range": value_range,
}
