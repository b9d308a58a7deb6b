"""Acceptance criteria as data: the grammar of a protocol's `validation.acceptance_criteria`.

Each item is free text (judged by the reviewer, device GMP 2025 Art. 76 接收准则) or a mapping
the tool evaluates from the report's results:

    acceptance_criteria:
      - 所用仪表均在校准有效期内                 # free text: 由审核人判定 (its id is its number, "1")
      - id: AC-02                              # a letter first; unique in the protocol
        text: 初始污染菌平均值不超过 100 CFU/支    # how it reads (optional: generated from the rule)
        quantity: 初始污染菌                      # what is measured
        unit: CFU/支                             # required for numeric rules; results must use it
        samples: 10                              # a number, a list of names, or a range "T01..T30"
        each: {min: 40, max: 50}                 # every result within limits ("all samples")
        each: {equals: 无菌生长}                  # every result equal (text, number, or pass/fail word)
        mean: {max: 100}                         # statistics: mean sd rsd (%) min max range
        cpk: {lsl: 1.5, usl: 3.5, min: 1.33}     # capability: cpk (moving range) or ppk (overall SD)
        count: {of: 阳性, max: 0}                 # how many results equal `of`
      - id: AC-09
        text: 目视检查无可见残留                   # a mapping without a rule is judged by the reviewer

Problems are recorded with file, line and field; `criteria_of` reads a protocol's criteria
for a report without reporting again what the protocol's own check reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.errors import Problems
from dossier.validation.values import Value, value_of, wording
from dossier.workspace.fields import FieldReader, kind_of
from dossier.workspace.yamlsrc import SourceMap

STATISTICS = ("mean", "sd", "rsd", "min", "max", "range")
CAPABILITY = ("cpk", "ppk")
RULES = ("each", *STATISTICS, *CAPABILITY, "count")
CRITERION_FIELDS = {"id", "text", "quantity", "unit", "samples", *RULES}
CRITERION_ID = re.compile(r"[A-Za-z][A-Za-z0-9._-]*")
SAMPLE_RANGE = re.compile(r"^(\D*?)(\d+)\s*(?:\.\.|～|~)\s*(\D*?)(\d+)$")
MAX_SAMPLES = 10000


@dataclass(frozen=True)
class Limits:
    """A lower and/or upper limit, both inclusive; `low_text`/`high_text` as written."""

    low: float | None = None
    high: float | None = None
    low_text: str = ""
    high_text: str = ""

    def holds(self, number: float) -> bool:
        """True when `number` is within the limits (rounded to 9 decimals: 53.1 - 43.1 is 10)."""
        number = round(number, 9)
        return (self.low is None or number >= self.low) and (self.high is None or number <= self.high)

    def describe(self, unit: str = "") -> str:
        """不小于 40 ℃ / 不大于 10 μg/g / 在 47 ℃～53 ℃."""
        forms = wording()["limits"]
        spaced = f" {unit}" if unit and not unit.startswith("%") else unit
        if self.low is not None and self.high is not None:
            return forms["between"].format(low=self.low_text, high=self.high_text, unit=spaced)
        if self.low is not None:
            return forms["at_least"].format(low=self.low_text, unit=spaced)
        return forms["at_most"].format(high=self.high_text, unit=spaced)


@dataclass(frozen=True)
class Capability:
    """A process capability rule: specification limits and the least index accepted."""

    lsl: float | None
    usl: float | None
    limits: Limits
    spec_text: str  # LSL 1.5, USL 3.5


@dataclass(frozen=True)
class Count:
    """How many results may (or must) equal `of`."""

    of: Value
    limits: Limits


@dataclass(frozen=True)
class Criterion:
    """One acceptance criterion of a protocol (see the module docstring for the grammar)."""

    id: str
    text: str
    line: int
    quantity: str = ""
    unit: str = ""
    sample_names: tuple[str, ...] = ()
    sample_count: int = 0
    each: Limits | None = None
    equals: Value | None = None
    statistics: tuple[tuple[str, Limits], ...] = ()
    capability: tuple[tuple[str, Capability], ...] = ()
    count: Count | None = None

    @property
    def judged_by_reviewer(self) -> bool:
        """True when the criterion states no rule the tool can evaluate."""
        return not (self.each or self.equals or self.statistics or self.capability or self.count)

    @property
    def samples_required(self) -> int:
        """How many samples the protocol requires."""
        return len(self.sample_names) or self.sample_count

    def rule_text(self) -> str:
        """The rule in words (分号-separated), as generated when the protocol gives no `text`."""
        forms = wording()["rules"]
        figures = wording()["figures"]
        parts = []
        if self.each is not None:
            parts.append(forms["each"].format(limits=self.each.describe(self.unit)))
        if self.equals is not None:
            parts.append(forms["each_equals"].format(value=self.equals.text))
        for name, limits in self.statistics:
            parts.append(forms["statistic"].format(figure=figures[name], limits=limits.describe("%" if name == "rsd" else self.unit)))
        for name, rule in self.capability:
            parts.append(forms["capability"].format(figure=figures[name], spec=rule.spec_text, limits=rule.limits.describe()))
        if self.count is not None:
            parts.append(forms["count"].format(of=self.count.of.text, limits=self.count.limits.describe()))
        return "；".join(parts)


def _number(reader: FieldReader, key: str) -> tuple[float | None, str]:
    raw = reader.get(key)
    if raw is None:
        return None, ""
    value = value_of(raw)
    if isinstance(raw, bool) or value is None or value.number is None:
        reader.fail(key, f"expected a number, got {raw!r}" if not isinstance(raw, (dict, list)) else f"expected a number, got {kind_of(raw)}")
        return None, ""
    return value.number, str(raw).strip()


def _limits(reader: FieldReader, low_key: str = "min", high_key: str = "max") -> Limits | None:
    low, low_text = _number(reader, low_key)
    high, high_text = _number(reader, high_key)
    if low is None and high is None:
        if reader.get(low_key) is None and reader.get(high_key) is None:
            reader.fail(low_key, f"expected {low_key} and/or {high_key} (the limits, inclusive)")
        return None
    if low is not None and high is not None and low > high:
        reader.fail(low_key, f"{low_text} is above {high_key} {high_text}")
        return None
    return Limits(low, high, low_text, high_text)


def expand_samples(text: str) -> list[str] | None:
    """Sample names of a range `T01..T30` (also `T01～T30`), numbered with the first's width; None if not a range."""
    match = SAMPLE_RANGE.match(text.strip())
    if not match or match.group(1) != match.group(3):
        return None
    first, last = int(match.group(2)), int(match.group(4))
    if last < first or last - first >= MAX_SAMPLES:
        return None
    width = len(match.group(2))
    return [f"{match.group(1)}{n:0{width}d}" for n in range(first, last + 1)]


def _samples(reader: FieldReader) -> tuple[tuple[str, ...], int]:
    raw = reader.get("samples")
    if raw is None:
        reader.fail("samples", "is required (the number of samples or runs, or their names)")
        return (), 0
    if isinstance(raw, int) and not isinstance(raw, bool):
        if not 1 <= raw <= MAX_SAMPLES:
            reader.fail("samples", f"expected 1 to {MAX_SAMPLES} samples, got {raw}")
            return (), 0
        return (), raw
    if isinstance(raw, str):
        names = expand_samples(raw)
        if names is None:
            reader.fail("samples", f"expected a number, a list of names or a range such as T01..T30, got {raw!r}")
            return (), 0
        return tuple(names), 0
    names = reader.text_list("samples", required=True)
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        reader.fail("samples", f"sample names must be unique: {', '.join(duplicates)}")
    return tuple(dict.fromkeys(names)), 0


def _each(reader: FieldReader) -> tuple[Limits | None, Value | None]:
    each = reader.child("each")
    if each is None:
        return None, None
    each.unknown({"min", "max", "equals"})
    if each.get("equals") is not None:
        if each.get("min") is not None or each.get("max") is not None:
            each.fail("equals", "give either equals or min/max, not both")
        value = value_of(each.get("equals"))
        if value is None:
            each.fail("equals", f"expected a value to compare with, got {kind_of(each.get('equals'))}")
        return None, value
    return _limits(each), None


def _capability(reader: FieldReader, name: str) -> Capability | None:
    rule = reader.child(name)
    if rule is None:
        return None
    rule.unknown({"lsl", "usl", "min"})
    lsl, lsl_text = _number(rule, "lsl")
    usl, usl_text = _number(rule, "usl")
    least, least_text = _number(rule, "min")
    if lsl is None and usl is None:
        rule.fail("lsl", "expected lsl and/or usl (the specification limits the index is computed against)")
        return None
    if lsl is not None and usl is not None and lsl >= usl:
        rule.fail("lsl", f"{lsl_text} is not below usl {usl_text}")
        return None
    if least is None:
        if rule.get("min") is None:
            rule.fail("min", f"is required (the least {name} accepted, e.g. 1.33)")
        return None
    spec = "，".join(part for part in (f"LSL {lsl_text}" if lsl is not None else "", f"USL {usl_text}" if usl is not None else "") if part)
    return Capability(lsl, usl, Limits(least, None, least_text), spec)


def _count(reader: FieldReader) -> Count | None:
    rule = reader.child("count")
    if rule is None:
        return None
    rule.unknown({"of", "min", "max"})
    of = value_of(rule.get("of"))
    if of is None:
        rule.fail("of", "is required (the result to count, e.g. 阳性 or fail)")
    limits = _limits(rule)
    for key in ("min", "max"):
        raw = rule.get(key)
        if raw is not None and not (isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0):
            rule.fail(key, f"expected a whole number of results, got {raw!r}")
            return None
    return Count(of, limits) if of is not None and limits is not None else None


def _criterion(reader: FieldReader, seen: dict[str, int]) -> Criterion | None:
    reader.unknown(CRITERION_FIELDS)
    ident = reader.text("id", required=True)
    if ident and not CRITERION_ID.fullmatch(ident):
        reader.fail("id", f"{ident!r}: a criterion id starts with a letter (letters, digits, . _ -), e.g. AC-01")
        ident = ""
    if ident in seen:
        reader.fail("id", f"{ident} is already the id of the criterion on line {seen[ident]}")
    text = reader.text("text")
    has_rule = any(reader.get(key) is not None for key in RULES)
    if not has_rule:
        if not text:
            reader.fail("text", "is required for a criterion without a rule (it is judged by the reviewer)")
        reader.text("quantity")
        reader.text("unit")
        return Criterion(ident, text, reader.mapping.line) if ident else None
    quantity = reader.text("quantity", required=True)
    unit = reader.text("unit")
    names, count = _samples(reader)
    each, equals = _each(reader)
    statistics = tuple((name, limits) for name in STATISTICS if reader.get(name) is not None
                       for limits in [_statistic(reader, name)] if limits is not None)
    capability = tuple((name, rule) for name in CAPABILITY for rule in [_capability(reader, name)] if rule is not None)
    counted = _count(reader)
    raw_each = reader.get("each")
    numeric = (isinstance(raw_each, dict) and ("min" in raw_each or "max" in raw_each)) or any(
        reader.get(key) is not None for key in (*STATISTICS, *CAPABILITY))
    if numeric and not unit:
        reader.fail("unit", f"is required: the rule compares numbers (the unit {quantity or 'the quantity'} is measured in)")
    if not ident:
        return None
    seen[ident] = reader.mapping.line
    criterion = Criterion(ident, text, reader.mapping.line, quantity, unit, names, count, each, equals, statistics, capability, counted)
    return criterion if text else Criterion(**{**criterion.__dict__, "text": criterion.rule_text()})


def _statistic(reader: FieldReader, name: str) -> Limits | None:
    rule = reader.child(name)
    if rule is None:
        return None
    rule.unknown({"min", "max"})
    return _limits(rule)


def read_criteria(block: FieldReader, key: str = "acceptance_criteria") -> list[Criterion]:
    """The criteria of a protocol's validation block; problems recorded at their file, line and field.

    Free-text items get their 1-based position as id. Reports name criteria by these ids.
    """
    value = block.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        block.fail(key, "expected a list of criteria (text, or mappings with id and a rule)")
        return []
    criteria: list[Criterion] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value, start=1):
        line = value.line_of(index - 1) if hasattr(value, "line_of") else block.line_of(key)
        if isinstance(item, SourceMap):
            found = _criterion(FieldReader(item, block.problems, f"{block.name(key)}[{index}]."), seen)
            if found is not None:
                criteria.append(found)
        elif isinstance(item, str) and item.strip():
            criteria.append(Criterion(str(index), item.strip(), line))
        else:
            block.problems.add(block.mapping.path, line, f"{block.name(key)}[{index}]",
                               "expected a criterion: text, or a mapping with id, quantity, unit, samples and a rule")
    if not value:
        block.fail(key, "must list at least one criterion")
    return criteria


def criteria_of(validation: object) -> list[Criterion]:
    """The criteria of a protocol's `validation` mapping, problems ignored (the protocol's check reports them)."""
    if not isinstance(validation, SourceMap):
        return []
    return read_criteria(FieldReader(validation, Problems(), "validation."))
