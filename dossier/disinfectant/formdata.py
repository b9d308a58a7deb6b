"""The forms of a rule set as data: wording and layout of Annex 1, 3, 4 and 5 (see annex3.yaml).

Each rule set names its form files in `ruleset.yaml` (`forms: {annex1: …, annex3: …}`); a later
rule set can reuse another's file (`../ws2014/annex4.yaml`). Every label is printed exactly as
the data gives it, and every value comes from a product field named in `FIELDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dossier.errors import Problems
from dossier.workspace.yamlsrc import SourceList, SourceMap, load_yaml

# The product fields a form may print (dossier.disinfectant.fields fills them).
FIELDS = frozenset(
    [
        "product.name",
        "product.name_en",
        "product.form_model",
        "product.enterprise_standard",
        "evaluation.date",
        "class",
        *(f"responsible.{k}" for k in ("name", "address", "legal_representative", "phone", "postcode", "fax", "contact")),
        *(
            f"manufacturer.{k}"
            for k in ("name", "name_en", "address", "country", "legal_representative", "phone", "contact", "hygiene_licence")
        ),
        *(f"china_unit.{k}" for k in ("name", "address", "phone", "contact", "fax", "postcode", "address_phone")),
        "import.customs_declaration",
        "import.business_licence",
    ]
)
SCOPES = ("all", "domestic", "import", "formula", "device")
DECIDED_BY = ("class", "complete", "results", "conclusion")
BLANK = "______"


@dataclass(frozen=True)
class Field:
    """A label and the product field printed with it (None: left blank for handwriting)."""

    label: str
    value: str | None = None
    choices: tuple[str, ...] = ()  # options printed OPTION( ), the chosen one marked
    names: tuple[tuple[str, str], ...] = ()  # value -> text the form asks for


@dataclass(frozen=True)
class Question:
    """One judgement of Annex 3 part 一: the evaluator's answer (`key`) or one the data decides."""

    number: int
    label: str
    key: str | None
    decided_by: str | None
    scope: str
    acceptable: bool
    choices: tuple[str, ...]


@dataclass(frozen=True)
class MaterialSection:
    """One of the evaluation materials (一)-(七) and when it is part of the filing."""

    key: str  # field under `materials:` in the product YAML
    number: str
    title: str
    scope: str
    generated: bool  # made by the build from `formula:` when no file is given

    @property
    def heading(self) -> str:
        """Number and title without the closing punctuation, e.g. （一）标签（铭牌）、说明书."""
        return f"{self.number}{self.title.rstrip('；。')}"


@dataclass(frozen=True)
class Column:
    """A table column: header as printed, the record field that fills it, width."""

    header: str
    value: str
    width_mm: float


@dataclass(frozen=True)
class Annex1Form:
    """附件1 配方的书写格式和要求."""

    title: str
    lines: tuple[Field, ...]
    columns: tuple[Column, ...]
    composite_caption: str
    composite: tuple[Column, ...]
    extract_caption: str
    extract: tuple[Column, ...]
    notes_title: str
    notes: tuple[str, ...]
    signature: Field


@dataclass(frozen=True)
class Annex3Form:
    """附件3 消毒产品卫生安全评价报告."""

    title: str
    cover: tuple[Field, ...]
    part1: str
    basic_columns_mm: tuple[float, ...]
    basic: tuple[tuple[Field, ...], ...]
    questions: tuple[Question, ...]
    pledge: str
    part2: str
    materials: tuple[MaterialSection, ...]
    remarks_title: str
    remarks: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """A heading cell of the Annex 4 table and its lines of one or two fields."""

    heading: str
    lines: tuple[tuple[Field, ...], ...]


@dataclass(frozen=True)
class Annex4Form:
    """附件4 消毒产品卫生安全评价报告备案登记表."""

    title: str
    columns_mm: tuple[float, ...]
    groups: tuple[Group, ...]
    guarantee: str
    signature: str
    applicant: tuple[Field, ...]
    notes_title: str
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Annex5Form:
    """附件5 消毒产品卫生安全评价报告备案凭证: lines with a blank, fields, disclaimer, seal line."""

    title: str
    lines: tuple[Field, ...]  # label holds the text with its ______ blank
    fields: tuple[Field, ...]
    disclaimer: str
    seal: str


@dataclass(frozen=True)
class Forms:
    """The forms of one rule set, with how a choice is printed: 是( ) / 是(√)."""

    annex2_title: str
    annex2_legend: str
    annex1: Annex1Form
    annex3: Annex3Form
    annex4: Annex4Form
    annex5: Annex5Form
    blank: str
    mark: str

    def question(self, number: int) -> Question:
        """Question `number` of Annex 3."""
        return next(q for q in self.annex3.questions if q.number == number)

    def ticked(self, options: tuple[str, ...], chosen: str | None) -> str:
        """The options as the form prints them, `chosen` marked: 是(√)否( )."""
        marked = self.blank.replace(" ", self.mark)
        return "".join(f"{o}{marked if o == chosen else self.blank}" for o in options)


def load_forms(rules_root: Path, folder: Path, files: SourceMap, problems: Problems) -> Forms | None:
    """Read the form files named by a rule set (`files`: {annex1: path, …} relative to `folder`)."""
    reader = _FormReader(problems)
    parts = {}
    for annex in ("annex1", "annex3", "annex4", "annex5"):
        name = files.get(annex)
        path = (folder / str(name)).resolve() if name else None
        if path is None or not path.is_relative_to(rules_root.resolve()) or not path.is_file():
            problems.add(files.path, files.line_of(annex), f"forms.{annex}", "expected a form file of the rules folder")
            continue
        data = load_yaml(path, problems)
        if isinstance(data, SourceMap):
            parts[annex] = data
    if len(parts) < 4:
        return None
    annex2 = files.get("annex2") or {}
    forms = Forms(
        annex2_title=str(annex2.get("title", "")),
        annex2_legend=str(annex2.get("legend", "")),
        annex1=reader.annex1(parts["annex1"]),
        annex3=reader.annex3(parts["annex3"]),
        annex4=reader.annex4(parts["annex4"]),
        annex5=reader.annex5(parts["annex5"]),
        blank=str(parts["annex3"]["blank"]),
        mark=str(parts["annex3"]["mark"]),
    )
    return forms


class _FormReader:
    """Builds the form dataclasses, recording unknown fields and scopes with their lines."""

    def __init__(self, problems: Problems):
        self.problems = problems

    def _fail(self, where: SourceMap | SourceList, key, message: str) -> None:
        self.problems.add(where.path, where.line_of(key), str(key), message)

    def field(self, raw: SourceMap, choices: dict | None = None) -> Field:
        value = raw.get("value")
        if value is not None and value not in FIELDS:
            self._fail(raw, "value", f"unknown product field {value!r}")
        options: tuple[str, ...] = ()
        if "choices" in raw:
            options = tuple((choices or {}).get(raw["choices"], ()))
            if not options:
                self._fail(raw, "choices", f"unknown choices {raw['choices']!r}")
        names = tuple((str(k), str(v)) for k, v in (raw.get("names") or {}).items())
        return Field(str(raw.get("label") or raw.get("text") or ""), value, options, names)

    def annex1(self, raw: SourceMap) -> Annex1Form:
        def columns(items) -> tuple[Column, ...]:
            return tuple(Column(str(c["header"]), str(c["value"]), float(c["width_mm"])) for c in items)

        return Annex1Form(
            title=raw["title"],
            lines=tuple(self.field(f) for f in raw["lines"]),
            columns=columns(raw["columns"]),
            composite_caption=raw["composite"]["caption"],
            composite=columns(raw["composite"]["columns"]),
            extract_caption=raw["extract"]["caption"],
            extract=columns(raw["extract"]["columns"]),
            notes_title=raw["notes_title"],
            notes=tuple(raw["notes"]),
            signature=self.field(raw["signature"]),
        )

    def annex3(self, raw: SourceMap) -> Annex3Form:
        choices = raw["choices"]
        questions = []
        for q in raw["questions"]:
            scope = q.get("scope", "all")
            if scope not in SCOPES:
                self._fail(q, "scope", f"expected one of {', '.join(SCOPES)}")
            decided = q.get("decided_by")
            if (decided is None) == (q.get("answer") is None) or (decided and decided not in DECIDED_BY):
                self._fail(q, "answer", f"a question needs `answer: KEY` or `decided_by:` one of {', '.join(DECIDED_BY)}")
            options = tuple(choices[q.get("choices", "yes_no")])
            acceptable = q.get("acceptable", options[0]) == options[0]
            questions.append(
                Question(int(q["number"]), str(q["label"]), q.get("answer"), decided, scope, acceptable, options)
            )
        materials = []
        for m in raw["materials"]:
            if m["scope"] not in SCOPES:
                self._fail(m, "scope", f"expected one of {', '.join(SCOPES)}")
            materials.append(MaterialSection(m["key"], m["number"], m["title"], m["scope"], m.get("generated") == "formula"))
        basic = raw["basic"]
        return Annex3Form(
            title=raw["title"],
            cover=tuple(self.field(f) for f in raw["cover"]),
            part1=raw["part1"],
            basic_columns_mm=tuple(float(w) for w in basic["columns_mm"]),
            basic=tuple(tuple(self.field(f) for f in row) for row in basic["rows"]),
            questions=tuple(questions),
            pledge=raw["pledge"],
            part2=raw["part2"],
            materials=tuple(materials),
            remarks_title=raw["remarks_title"],
            remarks=tuple(raw["remarks"]),
        )

    def annex4(self, raw: SourceMap) -> Annex4Form:
        table = raw["table"]
        groups = tuple(
            Group(g["heading"], tuple(tuple(self.field(f) for f in line) for line in g["lines"])) for g in table["groups"]
        )
        return Annex4Form(
            title=raw["title"],
            columns_mm=tuple(float(w) for w in table["columns_mm"]),
            groups=groups,
            guarantee=raw["guarantee"],
            signature=raw["signature"],
            applicant=tuple(self.field(f) for f in raw["applicant"]),
            notes_title=raw["notes_title"],
            notes=tuple(raw["notes"]),
        )

    def annex5(self, raw: SourceMap) -> Annex5Form:
        lines = []
        for line in raw["lines"]:
            if BLANK not in str(line["text"]):
                self._fail(line, "text", f"a line needs its blank {BLANK}")
            lines.append(self.field(line))
        return Annex5Form(
            title=raw["title"],
            lines=tuple(lines),
            fields=tuple(self.field(f, raw.get("choices")) for f in raw["fields"]),
            disclaimer=raw["disclaimer"],
            seal=raw["seal"],
        )
