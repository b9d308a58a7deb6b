"""The product formula (附件1 配方的书写格式和要求): reading and checking it.

Single chemical raw materials need name, CAS number and trade name; plant raw materials a
Latin name; composite raw materials list their components (chemical name or Latin name, CAS,
percentage); plant extracts name the plant, its amount, the extraction process and the
specification of the extract. Percentages must add up to 100 within the stated tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dossier.workspace.fields import FieldReader

DEFAULT_TOLERANCE = 0.5
KINDS = ("chemical", "plant", "composite", "extract")
_CAS = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
_LATIN = re.compile(r"^[A-Z][a-z-]+( [a-z.×-]+)+( [A-Za-z.() ]+)?$")


def cas_problem(cas: str) -> str | None:
    """Why `cas` is not a valid CAS registry number (format NNNNNNN-NN-N, check digit), or None."""
    match = _CAS.match(cas)
    if not match:
        return f"CAS number {cas!r} is not of the form 2-7 digits, 2 digits, 1 check digit (e.g. 64-17-5)"
    digits = (match.group(1) + match.group(2))[::-1]
    check = sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10
    if check != int(match.group(3)):
        return f"CAS number {cas} has check digit {match.group(3)}, expected {check}"
    return None


@dataclass(frozen=True)
class Component:
    """One component of a composite raw material."""

    name: str
    latin_name: str
    cas: str
    percent: float


@dataclass(frozen=True)
class Extract:
    """What a plant-extract raw material is made from and how."""

    plant_latin_name: str
    plant_amount: str
    process: str
    spec: str


@dataclass(frozen=True)
class RawMaterial:
    """One row of the Annex 1 formula table."""

    kind: str
    name: str
    cas: str
    trade_name: str
    purity: str
    grade: str
    amount: str
    percent: float
    latin_name: str
    components: tuple[Component, ...]
    extract: Extract | None


@dataclass(frozen=True)
class Formula:
    """The formula: raw materials in order and the tolerance their percentages were checked to."""

    materials: tuple[RawMaterial, ...]
    tolerance: float

    @property
    def total(self) -> float:
        """Sum of the raw-material percentages."""
        return round(sum(m.percent for m in self.materials), 6)


def _number(reader: FieldReader, key: str, minimum: float, maximum: float) -> float | None:
    value = reader.get(key)
    if value is None:
        reader.fail(key, "is required (expected a number)")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        reader.fail(key, f"expected a number, got {value!r}")
        return None
    if not minimum <= float(value) <= maximum:
        reader.fail(key, f"expected a number from {minimum:g} to {maximum:g}, got {value}")
        return None
    return float(value)


def _cas(reader: FieldReader, key: str, required: bool) -> str:
    cas = reader.text(key, required=required)
    problem = cas_problem(cas) if cas else None
    if problem:
        reader.fail(key, problem)
    return cas


def _latin(reader: FieldReader, key: str, required: bool) -> str:
    latin = reader.text(key, required=required)
    if latin and not _LATIN.match(latin):
        reader.fail(key, f"{latin!r} is not a Latin binomial (Genus species, e.g. Camellia sinensis)")
    return latin


def _sum_check(reader: FieldReader, key: str, total: float, tolerance: float, what: str) -> None:
    if abs(total - 100.0) > tolerance:
        reader.fail(key, f"{what} sum to {total:g}%, expected 100% ± {tolerance:g}")


def _component(reader: FieldReader) -> Component | None:
    reader.unknown({"name", "latin_name", "cas", "percent"})
    name = reader.text("name")
    latin = _latin(reader, "latin_name", required=False)
    if not name and not latin:
        reader.fail("name", "a component needs its chemical name (name) or plant Latin name (latin_name)")
    cas = _cas(reader, "cas", required=bool(name) and not latin)
    percent = _number(reader, "percent", 0.0, 100.0)
    if percent is None:
        return None
    return Component(name, latin, cas, percent)


def _material(reader: FieldReader, tolerance: float) -> RawMaterial | None:
    kind = reader.text("kind", default="chemical")
    if kind not in KINDS:
        reader.fail("kind", f"unknown raw-material kind {kind!r} (expected one of: {', '.join(KINDS)})")
        return None
    allowed = {"kind", "name", "cas", "trade_name", "purity", "grade", "amount", "percent"}
    allowed |= {"plant": {"latin_name"}, "composite": {"components"}, "extract": {"extract"}}.get(kind, set())
    reader.unknown(allowed)
    name = reader.text("name", required=kind in ("chemical", "plant"))
    cas = _cas(reader, "cas", required=kind == "chemical")
    trade_name = reader.text("trade_name", required=kind in ("chemical", "composite", "extract"))
    latin = _latin(reader, "latin_name", required=True) if kind == "plant" else ""
    components: list[Component] = []
    if kind == "composite":
        readers = reader.mappings("components")
        if not readers:
            reader.fail("components", "a composite raw material must list its components")
        components = [c for c in (_component(r) for r in readers) if c]
        if components and len(components) == len(readers):
            _sum_check(reader, "components", sum(c.percent for c in components), tolerance, "component percentages")
    extract = None
    if kind == "extract":
        sub = reader.child("extract")
        if sub is None:
            reader.fail("extract", "a plant extract needs extract: plant_latin_name, plant_amount, process, spec")
        else:
            sub.unknown({"plant_latin_name", "plant_amount", "process", "spec"})
            extract = Extract(
                _latin(sub, "plant_latin_name", required=True),
                sub.text("plant_amount", required=True),
                sub.text("process", required=True),
                sub.text("spec", required=True),
            )
    percent = _number(reader, "percent", 0.0, 100.0)
    if percent is None:
        return None
    return RawMaterial(
        kind=kind,
        name=name,
        cas=cas,
        trade_name=trade_name,
        purity=reader.text("purity", required=kind == "chemical"),
        grade=reader.text("grade", required=kind == "chemical"),
        amount=reader.text("amount", required=True),
        percent=percent,
        latin_name=latin,
        components=tuple(components),
        extract=extract,
    )


def read_formula(reader: FieldReader) -> Formula | None:
    """Read and check `formula:`; every problem is recorded with its line."""
    reader.unknown({"tolerance", "materials"})
    tolerance = DEFAULT_TOLERANCE
    if reader.get("tolerance") is not None:
        stated = _number(reader, "tolerance", 0.0, 5.0)
        tolerance = DEFAULT_TOLERANCE if stated is None else stated
    readers = reader.mappings("materials")
    if not readers:
        reader.fail("materials", "the formula must list its raw materials")
        return None
    materials = [m for m in (_material(r, tolerance) for r in readers) if m]
    if len(materials) != len(readers):
        return None
    formula = Formula(tuple(materials), tolerance)
    _sum_check(reader, "materials", formula.total, tolerance, "raw-material percentages")
    return formula
