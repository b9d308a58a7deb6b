"""The validation blocks as field definitions: acceptance criteria, `plan:` and `report:`.

A protocol's `validation.acceptance_criteria` (grammar in `criteria.py`), a validation master
plan's `plan:` (`plan.py`) and a report's `report:` (`report.py`, `results.py`) declared once as
`dossier.workspace.spec.Field` definitions. The readers take the keys they allow from these
definitions, and `dossier schema` writes them as JSON Schema for editors, so the two cannot drift.
The rules that need the protocol or the workspace (which criteria exist, samples and units,
the documents a plan names) stay with the readers and `dossier check`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from dossier.validation.values import wording
from dossier.workspace.spec import (
    DATE,
    FLAG,
    INTEGER,
    LIST,
    MAPPINGS,
    NUMBER,
    ONE_OF,
    TABLE,
    TEXT,
    TEXT_OR_TEXTS,
    TEXTS,
    Field,
    mapping,
)

OBJECTS_FILE = Path(__file__).with_name("objects.yaml")
ID_PATTERN = r"^[A-Za-z][A-Za-z0-9._-]*$"  # a criterion's or a plan object's id: a letter first
SAMPLE_RANGE_PATTERN = r"^(\D*?)(\d+)\s*(?:\.\.|～|~)\s*(\D*?)(\d+)$"  # T01..T30
NUMBER_TEXT_PATTERN = r"^\s*[-−+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"  # a number written as text ("1.0")
MAX_SAMPLES = 10000
MAX_INTERVAL_MONTHS = 120
STATISTICS = ("mean", "sd", "rsd", "min", "max", "range")
CAPABILITY = ("cpk", "ppk")


@functools.cache
def catalogue() -> dict[str, Any]:
    """objects.yaml: the object types, stages and state labels of a validation master plan."""
    return yaml.safe_load(OBJECTS_FILE.read_text(encoding="utf-8"))


def _number(name: str, required: bool = False, label: str = "") -> Field:
    """A number, also written as text (`"1.0"`), as `values.value_of` reads it."""
    return Field(name, ONE_OF, required=required, label=label, alternatives=(
        Field("", NUMBER), Field("", TEXT, pattern=NUMBER_TEXT_PATTERN, scalars=("string",))))


def _result(name: str, **options: Any) -> Field:
    """One result or value to compare with: a number, a pass/fail word, true/false or text."""
    return Field(name, TEXT, scalars=("string", "number", "boolean"), **options)


_LIMITS = (_number("min", label="下限"), _number("max", label="上限"))
_FIGURES = wording()["figures"]

# --- validation.acceptance_criteria (a protocol) ----------------------------------------------

SAMPLES = Field("samples", ONE_OF, label="样品", doc="the number of samples or runs, a list of their names, or a range T01..T30",
                alternatives=(Field("", INTEGER, minimum=1, maximum=MAX_SAMPLES),
                              Field("", TEXT, pattern=SAMPLE_RANGE_PATTERN, scalars=("string",)),
                              Field("", TEXTS, min_items=1)))
EACH = mapping("each", *_LIMITS, _result("equals", filled=True, label="等于"), label="每个结果",
               doc="every result within min/max, or equal to `equals`")
CRITERION = mapping(
    "",
    Field("id", TEXT, required=True, pattern=ID_PATTERN, scalars=("string",), label="编号", doc="a letter first, unique in the protocol (AC-02)"),
    Field("text", TEXT, label="准则", doc="how it reads (generated from the rule when left out; required without a rule)"),
    Field("quantity", TEXT, label="测量项目", doc="what is measured (required with a rule)"),
    Field("unit", TEXT, label="单位", doc="required for numeric rules; results must use it"),
    SAMPLES,
    EACH,
    *(mapping(name, *_LIMITS, label=_FIGURES[name]) for name in STATISTICS),
    *(mapping(name, _number("lsl", label="规格下限"), _number("usl", label="规格上限"), _number("min", required=True, label="最小值"),
              label=_FIGURES[name]) for name in CAPABILITY),
    mapping("count", _result("of", required=True, label="计数结果"), Field("min", INTEGER, minimum=0), Field("max", INTEGER, minimum=0),
            label=_FIGURES["count"], doc="how many results equal `of`"),
    label="接收准则", doc="a rule the tool evaluates from the report's results (or, without a rule, judged by the reviewer)",
)
RULES = ("each", *STATISTICS, *CAPABILITY, "count")
ACCEPTANCE_CRITERIA = Field(
    "acceptance_criteria", LIST, required=True, min_items=1,
    value=Field("", ONE_OF, alternatives=(Field("", TEXT, filled=True, scalars=("string",), doc="judged by the reviewer"), CRITERION)),
    doc="free text (judged by the reviewer) or mappings with id, quantity, unit, samples and a rule",
)

# --- plan: (a validation master plan) ---------------------------------------------------------

ASSESSMENT = Field("assessed", MAPPINGS, label="变更评估", doc="changes of documents in depends_on assessed as not needing revalidation (Art. 74)",
                   fields=(Field("document", TEXT, required=True, label="文件编号"), Field("revision", TEXT, required=True, label="版本"),
                           Field("outcome", TEXT, required=True, label="评估结论"), Field("by", TEXT, required=True, label="评估人"),
                           Field("date", DATE, required=True, label="日期")))
REVALIDATION = mapping(
    "revalidation",
    Field("interval_months", INTEGER, minimum=1, maximum=MAX_INTERVAL_MONTHS, label="再验证周期（月）"),
    Field("triggers", TEXTS, label="再验证触发条件"),
    required=True, label="再验证", doc="Art. 75: interval_months and/or triggers",
)
PLAN_OBJECT = Field(
    "objects", MAPPINGS, required=True, min_items=1, label="验证对象",
    fields=(
        Field("id", TEXT, required=True, pattern=ID_PATTERN, scalars=("string",), label="编号", doc="a letter first, unique in the plan"),
        Field("name", TEXT, required=True, label="名称"),
        Field("type", TEXT, required=True, choices=tuple(catalogue()["types"]), label="类型",
              doc="; ".join(f"{name}: {info['label']}" for name, info in catalogue()["types"].items())),
        Field("stages", TEXTS, choices=tuple(catalogue()["stages"]), label="阶段"),
        Field("owner", TEXT, label="负责人"),
        Field("planned", DATE, label="计划日期", doc="when the (re)validation is planned"),
        Field("protocol", TEXT, label="验证方案", doc="a validation_protocol of the workspace"),
        Field("last_validated", DATE, label="上次验证日期", doc="a validation before the plan (paper report)"),
        Field("last_report", TEXT, label="上次验证报告"),
        REVALIDATION,
        Field("depends_on", TEXTS, label="相关文件", doc="Art. 74: documents whose change calls for an assessment"),
        ASSESSMENT,
    ),
)
PLAN = mapping("plan", PLAN_OBJECT, required=True, label="验证总计划", doc="the objects to qualify or validate (device GMP 2025 Art. 69–77)")

# --- report: (a validation report) ------------------------------------------------------------

RESULT = mapping(
    "",
    Field("unit", TEXT, label="单位"),
    Field("values", ONE_OF, label="结果", doc="a list of results, or results by sample name (a value or a list of readings)",
          alternatives=(Field("", LIST, value=_result("", filled=True)),
                        Field("", TABLE, value=Field("", ONE_OF, filled=True, alternatives=(
                            _result("", filled=True), Field("", LIST, min_items=1, value=_result("", filled=True))))))),
    _result("judged", filled=True, label="审核人判定", doc="符合 or 不符合, for a criterion without a rule"),
    Field("note", TEXT, label="备注"),
)
DEVIATION = Field(
    "deviations", MAPPINGS, label="偏差",
    fields=(
        Field("id", TEXT, required=True, label="偏差编号"),
        Field("criteria", TEXTS, label="涉及准则"),
        Field("description", TEXT, required=True, label="偏差描述"),
        Field("impact", TEXT, required=True, label="影响评估"),
        Field("disposition", TEXT, required=True, label="处理"),
        Field("affects_conclusion", FLAG, label="影响结论"),
        Field("capa", TEXT, label="CAPA"),
        mapping("approved_by", Field("name", TEXT, required=True, label="姓名"), Field("date", DATE, required=True, label="日期"), label="批准"),
    ),
)
_CONCLUSIONS = wording()["conclusions"]
REPORT = mapping(
    "report",
    Field("protocol", TEXT, required=True, label="验证方案", doc="the protocol executed (a validation_protocol)"),
    Field("protocol_revision", TEXT, required=True, label="方案版本", doc="the revision executed; the report is judged against it"),
    mapping("executed", Field("from", DATE, required=True, label="开始"), Field("to", DATE, label="结束"), label="实施日期"),
    Field("results", TABLE, value=RESULT, label="结果", doc="criterion id → its results"),
    Field("results_csv", TEXT_OR_TEXTS, label="结果文件", doc="CSV files beside the report: criterion, sample, value, unit"),
    DEVIATION,
    Field("conclusion", TEXT, choices=(_CONCLUSIONS["pass"], _CONCLUSIONS["fail"]), label="结论",
          doc="optional; the tool writes the conclusion it computes"),
    required=True, label="验证报告", doc="the protocol it executed, its results and deviations (device GMP 2025 Art. 76)",
)
