"""The raw results of a validation report: YAML tables and CSV files beside the report.

    report:
      results:
        AC-02: {unit: CFU/支, values: [38, 52, 41]}            # counted samples: one value each
        AC-03:
          unit: ℃
          values: {H01: 45.2, H02: [44.1, 45.0]}              # named samples: a value or a list of readings
        "1": {judged: 符合, note: 校准证书见附件 3}              # a criterion judged by the reviewer
      results_csv: [VR-12-07-loggers.csv]                     # columns criterion, sample, value, unit (others ignored)

CSV files are UTF-8 (a BOM is allowed) with a header row naming at least `criterion`, `sample`,
`value` and `unit` (or 准则, 样品, 结果, 单位); each further row is one reading. Everything is
checked against the protocol's criteria: a result for a criterion the protocol does not have, a
missing or unknown sample, a unit that differs from the protocol's, text where a number is
needed — each is an input problem naming file, line and field.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dossier.errors import Problems
from dossier.validation.criteria import Criterion
from dossier.validation.evaluate import Reading
from dossier.validation.values import Value, Where, value_of
from dossier.workspace.fields import FieldReader, kind_of
from dossier.workspace.yamlsrc import SourceList, SourceMap

RESULT_FIELDS = {"unit", "values", "judged", "note"}
CSV_COLUMNS = {"criterion": ("criterion", "准则"), "sample": ("sample", "样品"), "value": ("value", "结果"), "unit": ("unit", "单位")}
MAX_CSV_BYTES = 20 * 1024 * 1024


@dataclass
class ResultSet:
    """The results of one criterion: readings in the order written, or the reviewer's judgement."""

    criterion: Criterion
    where: Where
    readings: list[Reading] = field(default_factory=list)
    written: list[tuple[str, Where]] = field(default_factory=list)  # every sample written, valid or not
    judged: bool | None = None
    note: str = ""


def is_csv_name(name: str) -> bool:
    """True for the name of a CSV file beside the report: no folder, not hidden, ending in .csv.

    (Released with the report, it is archived beside its YAML in releases/ID/REV/.)
    """
    name = name.strip()
    return (name.lower().endswith(".csv") and not name.startswith(".") and PurePosixPath(name).name == name
            and "\\" not in name and ":" not in name)


def csv_names(report: SourceMap) -> list[str]:
    """The CSV file names a report block lists (`results_csv`), as written; bad entries skipped."""
    raw = report.get("results_csv")
    names = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    return [str(n).strip() for n in names if isinstance(n, str) and is_csv_name(n)]


class _Collector:
    def __init__(self, criteria: list[Criterion], problems: Problems, protocol: str):
        self.criteria = {c.id: c for c in criteria}
        self.problems = problems
        self.protocol = protocol
        self.sets: dict[str, ResultSet] = {}
        self.unreadable = False  # a CSV file could not be read: its criteria are not reported as missing

    def unknown(self, where: Where, ident: str) -> None:
        self.problems.add(where.path, where.line, where.field, f"{ident} is not a criterion of {self.protocol} "
                          f"(its criteria: {', '.join(self.criteria) or 'none'})")

    def unit(self, criterion: Criterion, unit: str, where: Where) -> None:
        if unit == criterion.unit:
            return
        if not criterion.unit:
            self.problems.add(where.path, where.line, where.field, f"{unit!r}: {criterion.id} has no unit in {self.protocol}; leave the unit out")
        elif not unit:
            self.problems.add(where.path, where.line, where.field, f"is required: {self.protocol} measures {criterion.id} in {criterion.unit}")
        else:
            self.problems.add(where.path, where.line, where.field, f"{unit} differs from the unit of {criterion.id} in {self.protocol} ({criterion.unit})")

    def value(self, criterion: Criterion, raw: object, sample: str, where: Where) -> Reading | None:
        value = value_of(raw)
        if value is None:
            got = kind_of(raw) if raw not in ("", None) else "nothing"
            self.problems.add(where.path, where.line, where.field, f"expected a result (a number, a word such as 合格, or text), got {got}")
            return None
        if _numeric(criterion) and value.number is None:
            self.problems.add(where.path, where.line, where.field, f"expected a number: {criterion.id} is evaluated numerically, got {value.text!r}")
            return None
        return Reading(sample, value, where)


def _numeric(criterion: Criterion) -> bool:
    return bool(criterion.each or criterion.statistics or criterion.capability)


def _yaml_values(col: _Collector, criterion: Criterion, entry: FieldReader, result: ResultSet) -> None:
    raw = entry.get("values")
    field_name = entry.name("values")
    if raw is None:
        entry.fail("values", f"is required: the results of {criterion.id} ({criterion.samples_required} samples in {col.protocol})")
        return
    path = entry.mapping.path
    if criterion.sample_names:
        if not isinstance(raw, SourceMap):
            entry.fail("values", f"expected the results by sample name ({', '.join(criterion.sample_names[:3])}, …), got {kind_of(raw)}")
            return
        for name, item in raw.items():
            where = Where(path, raw.line_of(name), f"{field_name}.{name}")
            items = list(enumerate(item)) if isinstance(item, SourceList) else [(None, item)]
            if isinstance(item, SourceList) and not item:
                col.problems.add(where.path, where.line, where.field, "expected at least one reading")
            for index, reading in items:
                at = where if index is None else Where(path, item.line_of(index), f"{where.field}[{index + 1}]")
                result.written.append((str(name), at))
                found = col.value(criterion, reading, str(name), at)
                if found is not None:
                    result.readings.append(found)
        return
    if not isinstance(raw, SourceList):
        entry.fail("values", f"expected a list of {criterion.sample_count} results, got {kind_of(raw)}")
        return
    for index, item in enumerate(raw):
        at = Where(path, raw.line_of(index), f"{field_name}[{index + 1}]")
        result.written.append((f"#{index + 1}", at))
        found = col.value(criterion, item, f"#{index + 1}", at)
        if found is not None:
            result.readings.append(found)


def read_yaml_results(col: _Collector, report: FieldReader) -> None:
    """Results written in the report's YAML (`report.results`)."""
    results = report.child("results")
    if results is None:
        return
    for key in results.mapping:
        ident = str(key)
        where = Where(results.mapping.path, results.line_of(key), results.name(ident))
        criterion = col.criteria.get(ident)
        if criterion is None:
            col.unknown(where, ident)
            continue
        entry = results.child(key)
        if entry is None:
            continue
        entry.unknown(RESULT_FIELDS)
        result = col.sets.setdefault(ident, ResultSet(criterion, where))
        result.note = entry.text("note")
        if criterion.judged_by_reviewer:
            for extra in ("values", "unit"):
                if entry.get(extra) is not None:
                    entry.fail(extra, f"{ident} is judged by the reviewer (it states no rule in {col.protocol}): record judged: 符合 or 不符合")
            verdict = value_of(entry.get("judged"))
            if verdict is None or verdict.verdict is None:
                entry.fail("judged", "is required: the reviewer's judgement of this criterion (符合 or 不符合)"
                           if entry.get("judged") is None else f"expected 符合 or 不符合, got {entry.get('judged')!r}")
            else:
                result.judged = verdict.verdict
            continue
        if entry.get("judged") is not None:
            entry.fail("judged", f"{ident} is evaluated from its results by the rule in {col.protocol}; give values instead")
        unit = entry.text("unit")
        col.unit(criterion, unit, Where(entry.mapping.path, entry.line_of("unit"), entry.name("unit")))
        _yaml_values(col, criterion, entry, result)


def _header(rows: list[list[str]], shown: str, problems: Problems) -> dict[str, int] | None:
    if not rows:
        problems.add(shown, 1, "", "the CSV file is empty (expected a header: criterion,sample,value,unit)")
        return None
    header = [cell.strip().lower() for cell in rows[0]]
    columns = {}
    for name, aliases in CSV_COLUMNS.items():
        found = next((header.index(alias) for alias in aliases if alias in header), None)
        if found is None:
            problems.add(shown, 1, name, f"column {name} missing (the header names {', '.join(header) or 'nothing'})")
        columns[name] = found
    return None if None in columns.values() else columns


def read_csv_results(col: _Collector, path: Path, shown: str, yaml_ids: set[str]) -> None:
    """Readings of one CSV file (see module docstring); problems at the CSV's own line and column."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            col.problems.add(shown, None, "", f"larger than {MAX_CSV_BYTES // 1024 // 1024} MB")
            return
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        col.unreadable = True
        col.problems.add(shown, None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 CSV")
        return
    except OSError as exc:
        col.unreadable = True
        col.problems.add(shown, None, "", f"cannot read file: {exc.strerror}")
        return
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        col.unreadable = True
        col.problems.add(shown, reader.line_num, "", f"not a readable CSV file ({exc})")
        return
    columns = _header([row for _, row in rows[:1]], shown, col.problems)
    if columns is None:
        col.unreadable = True
        return
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        cell = {name: (row[index].strip() if index < len(row) else "") for name, index in columns.items()}
        criterion = col.criteria.get(cell["criterion"])
        if criterion is None:
            col.unknown(Where(shown, line, "criterion"), cell["criterion"] or "(empty)")
            continue
        if criterion.judged_by_reviewer or cell["criterion"] in yaml_ids:
            reason = ("is judged by the reviewer: record it in the report's YAML" if criterion.judged_by_reviewer
                      else "has results in the report's YAML as well; keep one")
            col.problems.add(shown, line, "criterion", f"{criterion.id} {reason}")
            continue
        result = col.sets.setdefault(criterion.id, ResultSet(criterion, Where(shown, line, "criterion")))
        col.unit(criterion, cell["unit"], Where(shown, line, "unit"))
        sample = cell["sample"] or f"#{len(result.written) + 1}"
        result.written.append((sample, Where(shown, line, "sample")))
        found = col.value(criterion, cell["value"], sample, Where(shown, line, "value"))
        if found is not None:
            result.readings.append(found)


def check_samples(col: _Collector, report: FieldReader) -> None:
    """Every criterion has results for exactly the samples the protocol requires."""
    for criterion in col.criteria.values():
        result = col.sets.get(criterion.id)
        if result is None:
            if col.unreadable:
                continue
            report.fail("results", f"no results for {criterion.id} ({criterion.text}); every criterion of {col.protocol} is evaluated")
            continue
        where = result.where
        if criterion.judged_by_reviewer:
            continue
        if criterion.sample_names:
            given = list(dict.fromkeys(sample for sample, _ in result.written))
            for name in given:
                if name not in criterion.sample_names:
                    first = next(at for sample, at in result.written if sample == name)
                    col.problems.add(first.path, first.line, first.field, f"sample {name} is not a sample of {criterion.id} in {col.protocol}")
            missing = [name for name in criterion.sample_names if name not in given]
            if missing:
                col.problems.add(where.path, where.line, where.field, f"sample {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''} missing: "
                                 f"{col.protocol} samples {criterion.id} at {len(criterion.sample_names)} points")
        elif len(result.written) != criterion.sample_count:
            col.problems.add(where.path, where.line, where.field,
                             f"{len(result.written)} results, {col.protocol} requires {criterion.sample_count} samples for {criterion.id}")


def read_results(report: FieldReader, criteria: list[Criterion], folder: Path, shown_folder: str, protocol: str) -> dict[str, ResultSet]:
    """Every criterion's results from the report block's YAML and CSV files, checked (see module docstring).

    `folder` holds the report (CSV names are relative to it); `shown_folder` is how it appears in
    messages; `protocol` names the protocol and revision (`VP-12-01 A`) in messages.
    """
    col = _Collector(criteria, report.problems, protocol)
    read_yaml_results(col, report)
    yaml_ids = set(col.sets)
    raw = report.get("results_csv")
    if raw is not None and not isinstance(raw, (str, list)):
        report.fail("results_csv", "expected a CSV file name or a list of them")
    names = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
    for index, name in enumerate(names):
        line = raw.line_of(index) if isinstance(raw, SourceList) else report.line_of("results_csv")
        if not isinstance(name, str) or not is_csv_name(name):
            report.problems.add(report.mapping.path, line, report.name("results_csv"),
                                f"{name!r}: expected the name of a .csv file in the report's folder (no path)")
            continue
        name = name.strip()
        path = folder / name
        shown = f"{shown_folder}/{name}" if shown_folder else name
        if not path.is_file():
            col.unreadable = True
            report.problems.add(report.mapping.path, line, report.name("results_csv"), f"file not found: {shown}")
            continue
        read_csv_results(col, path, shown, yaml_ids)
    check_samples(col, report)
    return col.sets


def readings_of(results: dict[str, ResultSet]) -> dict[str, list[Reading]]:
    """{criterion id: readings} of checked results."""
    return {ident: result.readings for ident, result in results.items()}


__all__ = ["ResultSet", "Value", "csv_names", "is_csv_name", "read_results", "readings_of"]
