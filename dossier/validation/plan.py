"""A validation master plan (验证总计划): the objects to qualify or validate (device GMP 2025 Art. 69–77).

    plan:
      objects:
        - id: EO-01                        # a letter first; unique in the plan
          name: 环氧乙烷灭菌过程
          type: special_process            # one of objects.yaml `types`
          stages: [PQ]                     # optional, from objects.yaml `stages`
          owner: 技术部 陈静
          planned: "2026-12-15"            # when the (re)validation is planned
          protocol: VP-12-01               # the protocol (a validation_protocol of the workspace)
          last_validated: "2025-12-20"     # optional: a validation before the plan (paper report)
          last_report: VR-12-01            # optional: that report's number
          revalidation:                    # Art. 75; at least one of the two
            interval_months: 12
            triggers: [灭菌柜改造或重大维修, 产品或包装变更]
          depends_on: [QP-12, WI-12-01]    # Art. 74: documents whose change calls for an assessment
          assessed:                        # change assessments that need no revalidation
            - {document: WI-12-01, revision: B, outcome: 变更不影响已验证状态, by: 李强, date: "2027-03-02"}

Reports are linked to an object through its protocol (a report names the protocol it executed).
Which documents exist is checked by `dossier.validate`; the state of each object on a day
(`dossier status`) is computed by `dossier.control.validation_status`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dossier.errors import Problems
from dossier.validation.criteria import CRITERION_ID
from dossier.workspace.fields import FieldReader
from dossier.workspace.yamlsrc import SourceMap

OBJECTS_FILE = Path(__file__).with_name("objects.yaml")
PLAN_FIELDS = {"objects"}
OBJECT_FIELDS = {"id", "name", "type", "stages", "owner", "planned", "protocol", "last_validated", "last_report",
                 "revalidation", "depends_on", "assessed"}
MAX_INTERVAL_MONTHS = 120


@functools.cache
def catalogue() -> dict[str, Any]:
    """objects.yaml: the object types, stages and state labels."""
    return yaml.safe_load(OBJECTS_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Assessment:
    """A change of a document the object depends on, assessed as not needing revalidation (Art. 74)."""

    document: str
    revision: str
    outcome: str
    by: str
    on: date | None


@dataclass(frozen=True)
class PlanObject:
    """One object of a validation master plan (see the module docstring)."""

    id: str
    name: str
    type: str
    line: int
    stages: tuple[str, ...] = ()
    owner: str = ""
    planned: date | None = None
    protocol: str = ""
    last_validated: date | None = None
    last_report: str = ""
    interval_months: int | None = None
    triggers: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    assessed: tuple[Assessment, ...] = ()

    @property
    def type_label(self) -> str:
        """厂房与洁净区 / 特殊过程 / … (the type itself when unknown)."""
        return catalogue()["types"].get(self.type, {}).get("label", self.type)


def _assessments(reader: FieldReader) -> tuple[Assessment, ...]:
    found = []
    for entry in reader.mappings("assessed"):
        entry.unknown({"document", "revision", "outcome", "by", "date"})
        found.append(Assessment(entry.text("document", required=True), entry.text("revision", required=True),
                                entry.text("outcome", required=True), entry.text("by", required=True), entry.date("date", required=True)))
    return tuple(found)


def _object(reader: FieldReader, seen: dict[str, int]) -> PlanObject | None:
    reader.unknown(OBJECT_FIELDS)
    ident = reader.text("id", required=True)
    if ident and not CRITERION_ID.fullmatch(ident):
        reader.fail("id", f"{ident!r}: an object id starts with a letter (letters, digits, . _ -), e.g. EQ-023")
        return None
    if ident in seen:
        reader.fail("id", f"{ident} is already the id of the object on line {seen[ident]}")
    seen.setdefault(ident, reader.mapping.line)
    kind = reader.text("type", required=True)
    types = catalogue()["types"]
    if kind and kind not in types:
        reader.fail("type", f"unknown object type {kind!r} (expected one of: {', '.join(types)})")
    stages = reader.text_list("stages")
    for stage in stages:
        if stage not in catalogue()["stages"]:
            reader.fail("stages", f"unknown stage {stage!r} (expected some of: {', '.join(catalogue()['stages'])})")
    interval, triggers = None, ()
    revalidation = reader.child("revalidation")
    if revalidation is None:
        if reader.get("revalidation") is None:
            reader.fail("revalidation", "is required (Art. 75): interval_months and/or triggers")
    else:
        revalidation.unknown({"interval_months", "triggers"})
        if revalidation.get("interval_months") is not None:
            interval = revalidation.integer("interval_months", minimum=1) or None
            if interval and interval > MAX_INTERVAL_MONTHS:
                revalidation.fail("interval_months", f"at most {MAX_INTERVAL_MONTHS} months, got {interval}")
                interval = None
        triggers = tuple(revalidation.text_list("triggers"))
        if interval is None and not triggers and revalidation.get("interval_months") is None:
            revalidation.fail("interval_months", "give interval_months and/or triggers (when the object is revalidated)")
    if not ident:
        return None
    return PlanObject(
        ident, reader.text("name", required=True), kind, reader.mapping.line, tuple(stages), reader.text("owner"),
        reader.date("planned"), reader.text("protocol"), reader.date("last_validated"), reader.text("last_report"),
        interval, triggers, tuple(reader.text_list("depends_on")), _assessments(reader),
    )


def read_plan(reader: FieldReader) -> list[PlanObject]:
    """The objects of a document's `plan:` block (reader of the document); problems recorded."""
    block = reader.child("plan")
    if block is None:
        if reader.get("plan") is None:
            reader.fail("plan", "a validation master plan lists its objects (plan.objects: id, name, type, owner, planned, protocol, revalidation)")
        return []
    block.unknown(PLAN_FIELDS)
    seen: dict[str, int] = {}
    objects = [found for entry in block.mappings("objects") for found in [_object(entry, seen)] if found is not None]
    if not block.get("objects"):
        block.fail("objects", "must list at least one object")
    return objects


def plan_objects(raw: object) -> list[PlanObject]:
    """The objects of a plan document's YAML mapping, problems ignored (check reports them)."""
    if not isinstance(raw, SourceMap):
        return []
    return read_plan(FieldReader(raw, Problems()))
