"""Judging one acceptance criterion from its results: pure, no I/O.

`evaluate(criterion, readings)` applies every rule the criterion states (each result within
limits or equal to a value, statistics, Cpk/Ppk, counts) and returns the verdict (符合 only when
every rule holds), the computed figures as shown in the report, and one finding per thing that
fails, pointing at the result where there is one. A criterion without a rule is judged by the
reviewer: `judged(criterion, verdict, note)` records that judgement. Device GMP 2025 Art. 76:
the report compares the results with the protocol's 接收准则.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dossier.validation import stats
from dossier.validation.criteria import Criterion, Limits
from dossier.validation.values import Value, Where, decimals, fmt, wording

PASS, FAIL, JUDGED_PASS, JUDGED_FAIL = "pass", "fail", "judged_pass", "judged_fail"


@dataclass(frozen=True)
class Reading:
    """One result: the sample it belongs to (its name, or its number for counted samples) and where it was written."""

    sample: str
    value: Value
    where: Where


@dataclass(frozen=True)
class Finding:
    """Why a criterion fails: the text shown in the report and the result it is about (if one)."""

    text: str
    where: Where | None = None


@dataclass(frozen=True)
class Evaluation:
    """The verdict on one criterion, the figures computed ((label, text) pairs) and the findings."""

    criterion: Criterion
    verdict: str
    figures: tuple[tuple[str, str], ...] = ()
    findings: tuple[Finding, ...] = ()
    readings: tuple[Reading, ...] = ()
    note: str = ""

    @property
    def passed(self) -> bool:
        """True for 符合 (by the tool or by the reviewer)."""
        return self.verdict in (PASS, JUDGED_PASS)

    @property
    def verdict_label(self) -> str:
        """符合 / 不符合 / 符合（审核人判定）…"""
        return wording()["verdicts"][self.verdict]


def _unit(unit: str) -> str:
    return f" {unit}" if unit and not unit.startswith("%") else unit


def _places(readings: list[Reading]) -> int:
    return max((decimals(r.value.text) for r in readings if r.value.number is not None), default=0)


def _shown(number: float, places: int) -> str:
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    return fmt(number, places)


def judged(criterion: Criterion, verdict: bool, note: str = "") -> Evaluation:
    """The reviewer's judgement of a criterion without a rule."""
    return Evaluation(criterion, JUDGED_PASS if verdict else JUDGED_FAIL, note=note)


def evaluate(criterion: Criterion, readings: list[Reading]) -> Evaluation:
    """Apply every rule of `criterion` to `readings` (in the order measured); see module docstring."""
    figures: list[tuple[str, str]] = []
    findings: list[Finding] = []
    labels = wording()["figures"]
    unit = _unit(criterion.unit)
    numbers = [r.value.number for r in readings if r.value.number is not None]
    numeric = bool(criterion.each or criterion.statistics or criterion.capability)
    places = _places(readings)
    if numeric:
        for reading in readings:
            if reading.value.number is None:
                findings.append(Finding(f"{reading.sample}：{reading.value.text}（不是数值）", reading.where))
    if numeric and len(numbers) == 1:
        figures.append((labels["value"], fmt(numbers[0], places) + unit))
    elif numeric and numbers:
        figures += [(labels["n"], str(len(readings))), (labels["mean"], fmt(stats.mean(numbers), min(places + 1, 4)) + unit)]
        figures.append((labels["sd"], fmt(stats.sd(numbers) or 0.0, min(places + 1, 4)) + unit))
        figures.append((labels["span"], f"{fmt(min(numbers), places)}～{fmt(max(numbers), places)}{unit}"))
    else:
        figures.append((labels["n"], str(len(readings))))
    if criterion.each is not None:
        findings += _each_limits(criterion.each, readings, criterion.unit)
    if criterion.equals is not None:
        findings += [Finding(f"{r.sample}：{r.value.text}", r.where) for r in readings if not r.value.same_as(criterion.equals)]
    for name, limits in criterion.statistics:
        findings += _statistic(name, limits, numbers, places, unit, figures)
    for name, rule in criterion.capability:
        index = (stats.cpk if name == "cpk" else stats.ppk)(numbers, rule.lsl, rule.usl) if numbers else None
        if index is None:
            findings.append(Finding(f"{labels[name]}：需要至少 2 个数值结果"))
            continue
        figures.append((labels[name], _shown(index, 2)))
        if not rule.limits.holds(index):
            findings.append(Finding(f"{labels[name]} {_shown(index, 2)}（应{rule.limits.describe()}）"))
    if criterion.count is not None:
        found = [r for r in readings if r.value.same_as(criterion.count.of)]
        figures.append((f"“{criterion.count.of.text}”{labels['count']}", str(len(found))))
        if not criterion.count.limits.holds(len(found)):
            findings.append(Finding(f"“{criterion.count.of.text}” {len(found)} 个（应{criterion.count.limits.describe()}）",
                                    found[0].where if found else None))
            findings += [Finding(f"{r.sample}：{r.value.text}", r.where) for r in found[1:]]
    return Evaluation(criterion, FAIL if findings else PASS, tuple(figures), tuple(findings), tuple(readings))


def _each_limits(limits: Limits, readings: list[Reading], unit: str) -> list[Finding]:
    return [Finding(f"{r.sample}：{r.value.text}{_unit(unit)}（应{limits.describe(unit)}）", r.where)
            for r in readings if r.value.number is not None and not limits.holds(r.value.number)]


def _statistic(name: str, limits: Limits, numbers: list[float], places: int, unit: str,
               figures: list[tuple[str, str]]) -> list[Finding]:
    label = wording()["figures"][name]
    computed = stats.STATISTIC[name](numbers) if numbers else None
    if computed is None:
        return [Finding(f"{label}：需要至少 2 个数值结果" if numbers else f"{label}：没有数值结果")]
    shown_unit = "%" if name == "rsd" else unit
    digits = 2 if name == "rsd" else min(places + 1, 4) if name in ("mean", "sd") else places
    text = fmt(computed, digits) + shown_unit
    if all(label != existing for existing, _ in figures):
        figures.append((label, text))
    if limits.holds(computed):
        return []
    return [Finding(f"{label} {text}（应{limits.describe('%' if name == 'rsd' else unit.strip())}）")]
