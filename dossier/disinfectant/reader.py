"""Reading a disinfection product's YAML and checking it, every problem with file, line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dossier.disinfectant.credentials import read_licences
from dossier.disinfectant.formdata import Question
from dossier.disinfectant.formula import read_formula
from dossier.disinfectant.inforce import rule_set_for, rule_set_warnings
from dossier.disinfectant.model import (
    Change,
    ImportInfo,
    Party,
    Product,
    ReportItem,
    SealSpec,
    TestReport,
    scope_applies,
)
from dossier.disinfectant.renewal import read_renewal
from dossier.disinfectant.requirements import fact_errors, type_errors, usage_errors
from dossier.disinfectant.ruleset import DEFAULT_RULE_SET, ProductType, RuleSet, available_rule_sets, load_rule_set
from dossier.disinfectant.spec import ANSWERS, CONCLUSIONS, PRODUCT_FILE
from dossier.errors import Problems
from dossier.workspace.embedded import embedded_problem
from dossier.workspace.fields import FieldReader
from dossier.workspace.inputs import outside_message, resolve_inside
from dossier.workspace.yamlsrc import SourceMap, load_yaml

MATERIAL_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg")

# the keys each section may hold (dossier.disinfectant.spec, also written as JSON Schema by `dossier schema`)
_PARTY_FIELDS = PRODUCT_FILE["manufacturer"].names
_EVALUATION = PRODUCT_FILE["evaluation"]
_REPORTS = PRODUCT_FILE["test_reports"]
_FILING = PRODUCT_FILE["filing"]


def _party(reader: FieldReader | None, required: tuple[str, ...]) -> Party:
    if reader is None:
        return Party("")
    reader.unknown(_PARTY_FIELDS)
    text_fields = _PARTY_FIELDS - {"hygiene_licence"}  # read by credentials.read_licences
    values = {key: reader.text(key, required=key in required) for key in sorted(text_fields)}
    return Party(**values)


def _required_child(root: FieldReader, key: str, message: str = "is required") -> FieldReader | None:
    child = root.child(key)
    if child is None and root.get(key) is None:
        root.fail(key, message)
    return child


def _flag(reader: FieldReader, key: str) -> bool:
    """An optional true/false field (absent is false)."""
    if reader.get(key) not in (None, True, False):
        reader.fail(key, "expected true or false")
    return reader.get(key) is True


def load_product(path: Path, problems: Problems, shown: str | None = None, folder: Path | None = None) -> Product | None:
    """Read one product YAML; problems (with file, line, field) go to `problems`, and so does the
    warning that its rule set is not the one in force on its evaluation date (`problems.warn`).

    `folder` is where its materials and seal must lie (links followed): the workspace's content folder.
    """
    shown = shown or str(path)
    before = len(problems.items)
    data = load_yaml(path, problems, shown)
    if data is None:
        if len(problems.items) == before:  # nothing but comments or blank lines
            problems.add(shown, 1, "", "the file is empty (expected rule_set, product, responsible_unit, …)")
        return None
    if not isinstance(data, SourceMap):
        problems.add(shown, None, "", "expected a mapping of fields at the top level")
        return None
    return _ProductReader(path, shown, data, problems, folder).read()


class _ProductReader:
    """Reads the sections of a product YAML in order, collecting problems."""

    def __init__(self, path: Path, shown: str, data: SourceMap, problems: Problems, folder: Path | None = None):
        self.folder = folder
        self.path = path
        self.base = path.parent
        self.shown = shown
        self.root = FieldReader(data, problems)
        self.problems = problems
        self.bad_before = len(problems.items)

    def read(self) -> Product | None:
        root = self.root
        root.unknown(PRODUCT_FILE.names)
        evaluation = _required_child(root, "evaluation")
        evaluation_date = evaluation.date("date", required=True) if evaluation else None
        rules = self._rules(evaluation_date)
        if rules is None:
            return None
        if evaluation is not None and evaluation_date is not None:  # at the field that chose the rules
            chosen = (root, "rule_set") if root.get("rule_set") is not None else (evaluation, "date")
            for warning in rule_set_warnings(rules, evaluation_date):
                self.problems.warn(self.shown, chosen[0].line_of(chosen[1]), chosen[0].name(chosen[1]), warning)
        product = _required_child(root, "product")
        if product is None:
            return None
        product.unknown(PRODUCT_FILE["product"].names)
        imported = _flag(product, "imported")
        name = product.text("name", required=True)
        name_en = product.text("name_en", required=imported)
        product_type = product.text("type", required=True)
        usages = product.text_list("usages")
        facts = product.text_list("facts")
        for message in type_errors(rules, product_type) if product_type else ():
            product.fail("type", message)
        if product_type not in rules.types:
            return None
        for message in usage_errors(rules, product_type, usages):
            product.fail("usages", message)
        for message in fact_errors(rules, product_type, facts):
            product.fail("facts", message)
        form_model = product.text("form_model", required=True)
        enterprise_standard = product.text("enterprise_standard", required=True)
        responsible = _party(
            _required_child(root, "responsible_unit"), ("name", "address", "legal_representative", "phone", "postcode")
        )
        manufacturer_required = ("name", "address", "legal_representative", "phone")
        manufacturer_required += ("name_en", "country") if imported else ("hygiene_licence",)
        manufacturer_reader = _required_child(root, "manufacturer")
        manufacturer = _party(manufacturer_reader, manufacturer_required)
        licences = read_licences(manufacturer_reader, "hygiene_licence", not imported) if manufacturer_reader else ()
        import_info = self._import(imported)
        info = rules.types[product_type]
        formula = None
        if info.has_formula:
            section = _required_child(root, "formula")
            formula = read_formula(section) if section else None
        elif root.get("formula") is not None:
            root.fail("formula", f"{product_type} has no formula (附件1 applies to formula products only)")
        answers, changes = self._evaluation(evaluation, rules, info, imported)
        key_items = [k.item for k in rules.renewal.key_items.get(info.group, ())]
        renewal_reader = evaluation.child("renewal") if evaluation else None
        renewal = read_renewal(renewal_reader, evaluation_date, key_items, self._evidence)
        reports = self._reports(evaluation_date)
        materials = self._materials(rules, imported, info)
        seal = self._seal()
        if len(self.problems.items) > self.bad_before or evaluation_date is None or seal is None:
            return None
        return Product(
            source=self.path,
            shown=self.shown,
            rules=rules,
            name=name,
            name_en=name_en,
            form_model=form_model,
            product_type=product_type,
            usages=tuple(usages),
            facts=tuple(facts),
            enterprise_standard=enterprise_standard,
            imported=imported,
            responsible=responsible,
            manufacturer=manufacturer,
            import_info=import_info,
            formula=formula,
            reports=reports,
            evaluation_date=evaluation_date,
            answers=answers,
            changes=changes,
            materials=materials,
            seal=seal,
            licences=licences,
            renewal=renewal,
        )

    def _rules(self, evaluation_date: date | None) -> RuleSet | None:
        """The rule set the product names, else the one in force on its evaluation date."""
        name = self.root.text("rule_set")
        if name and name not in available_rule_sets():
            self.root.fail("rule_set", f"unknown rule set {name!r} (available: {', '.join(available_rule_sets())})")
            return None
        if not name and evaluation_date is None:  # reported; read on to report every other problem
            return load_rule_set(DEFAULT_RULE_SET)
        return load_rule_set(name or rule_set_for(evaluation_date))  # type: ignore[arg-type]

    def _evidence(self, reader: FieldReader, key: str, value: str, index: int):
        return self._file(reader, key, value, MATERIAL_SUFFIXES, index)

    def _import(self, imported: bool) -> ImportInfo | None:
        section = self.root.child("import")
        if not imported:
            if section is not None:
                self.root.fail("import", "import data given but product.imported is not true")
            return None
        if section is None:
            self.root.fail("import", "is required for imported products (product.imported: true)")
            return None
        section.unknown(PRODUCT_FILE["import"].names)
        return ImportInfo(
            section.text("customs_declaration", required=True), section.text("business_licence", required=True)
        )

    def _evaluation(
        self, section: FieldReader | None, rules: RuleSet, info: ProductType, imported: bool
    ) -> tuple[dict[str, bool], tuple[Change, ...]]:
        if section is None:
            return {}, ()
        section.unknown(_EVALUATION.names)
        answers: dict[str, bool] = {}
        reader = _required_child(section, "answers")
        questions: list[Question] = [q for q in rules.forms.annex3.questions if q.key]
        if reader is not None:
            reader.unknown({q.key for q in questions if q.key})
            for question in questions:
                value = reader.get(question.key)
                if not scope_applies(question.scope, imported, info):
                    if value is not None:
                        reader.fail(question.key, f"question {question.number} does not apply to this product")
                    continue
                if value is None:
                    reader.fail(
                        question.key, f"is required: answer 是 or 否 to question {question.number} ({question.label})"
                    )
                elif value not in ANSWERS:
                    reader.fail(question.key, f"expected 是 or 否, got {value!r}")
                else:
                    answers[question.key] = ANSWERS[value]
        changes = []
        for change in section.mappings("changes"):
            change.unknown(_EVALUATION["changes"].names)
            kind = change.text("change", required=True)
            if kind and kind not in rules.changes:
                change.fail("change", f"unknown change {kind!r} (expected one of: {', '.join(rules.changes)})")
            changed_on = change.date("date", required=True)
            usages = change.text_list("usages", required=kind == "增加使用范围")
            for usage in usages:
                if usage not in rules.usages:
                    change.fail("usages", f"unknown usage {usage!r}")
            if changed_on and kind in rules.changes:
                changes.append(Change(kind, changed_on, tuple(usages), change.get("original_sample") is True))
        return answers, tuple(changes)

    def _reports(self, evaluation_date: date | None) -> tuple[TestReport, ...]:
        readers = self.root.mappings("test_reports")
        if not readers:
            self.root.fail("test_reports", "is required: list the test reports (检验报告)")
        reports = []
        for reader in readers:
            reader.unknown(_REPORTS.names)
            when = reader.date("date", required=True)
            if when and evaluation_date and when > evaluation_date:
                reader.fail("date", f"report dated {when} is after the evaluation date {evaluation_date}")
            items = []
            item_readers = reader.mappings("items")
            if not item_readers:
                reader.fail("items", "is required: list the tested items")
            for item in item_readers:
                item.unknown(_REPORTS["items"].names)
                conclusion = item.text("conclusion", required=True)
                if conclusion and conclusion not in CONCLUSIONS:
                    item.fail("conclusion", f"expected one of {', '.join(CONCLUSIONS)}, got {conclusion!r}")
                items.append(
                    ReportItem(
                        item=item.text("item", required=True),
                        tests=tuple(item.text_list("tests")),
                        result=item.text("result", required=True),
                        conforms=CONCLUSIONS.get(conclusion, False),
                        conclusion=conclusion,
                        line=item.mapping.line,
                    )
                )
            reports.append(
                TestReport(
                    lab=reader.text("lab", required=True),
                    number=reader.text("number", required=True),
                    date=when or date.min,
                    batch=reader.text("batch", required=True),
                    items=tuple(items),
                )
            )
        return tuple(reports)

    def _file(
        self, reader: FieldReader, key: str, value: str, suffixes: tuple[str, ...], index: int | None = None
    ) -> Path | None:
        field = key if index is None else f"{key}[{index + 1}]"
        line = reader.mapping.line_of(key)
        raw = reader.get(key)
        if index is not None and hasattr(raw, "line_of"):
            line = raw.line_of(index)
        path = resolve_inside(self.base, value, self.folder) if self.folder else (self.base / value).resolve()
        if path is None:  # before any look at the file: the same answer whether an outside file exists
            self.problems.add(reader.mapping.path, line, reader.name(field), outside_message(value, self.folder.name))
            return None
        if path.suffix.lower() not in suffixes:
            self.problems.add(
                reader.mapping.path, line, reader.name(field), f"{value}: expected a {'/'.join(suffixes)} file"
            )
            return None
        if not path.is_file():
            self.problems.add(
                reader.mapping.path, line, reader.name(field), f"file not found: {value} (relative to {self.shown})"
            )
            return None
        problem = embedded_problem(path, suffixes)
        if problem:
            self.problems.add(reader.mapping.path, line, reader.name(field), f"{value}: {problem}")
            return None
        return path

    def _materials(self, rules: RuleSet, imported: bool, info: ProductType) -> dict[str, tuple[Path, ...]]:
        reader = _required_child(
            self.root, "materials", "is required: the evaluation materials （一）-（七） as PDF or image files"
        )
        if reader is None:
            return {}
        sections = rules.forms.annex3.materials
        reader.unknown({m.key for m in sections})
        result: dict[str, tuple[Path, ...]] = {}
        for section in sections:
            files = reader.text_list(section.key)
            if not scope_applies(section.scope, imported, info):
                if files:
                    reader.fail(section.key, f"material {section.heading} does not apply to this product")
                continue
            if not files and not section.generated:
                reader.fail(section.key, f"required material {section.heading} is missing")
                continue
            paths = [self._file(reader, section.key, f, MATERIAL_SUFFIXES, i) for i, f in enumerate(files)]
            result[section.key] = tuple(p for p in paths if p)
        return result

    def _seal(self) -> SealSpec | None:
        filing = _required_child(self.root, "filing")
        if filing is None:
            return None
        filing.unknown(_FILING.names)
        image = filing.text("seal", required=True)
        path = self._file(filing, "seal", image, (".png",)) if image else None
        cross_page = _flag(filing, "cross_page_seal")

        def mm(key: str, default: float, low: float, high: float) -> float:
            value = filing.get(key)
            if value is None:
                return default
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                filing.fail(key, f"expected a number of millimetres from {low:g} to {high:g}, got {value!r}")
                return default
            return float(value)

        spec = SealSpec(
            image=path or Path(),
            x_mm=mm("x_mm", 140.0, 0, 210),
            y_mm=mm("y_mm", 20.0, 0, 297),
            width_mm=mm("width_mm", 40.0, 10, 80),
            cross_page=cross_page,
            cross_width_mm=mm("cross_page_width_mm", 40.0, 10, 80),
            cross_y_mm=mm("cross_page_y_mm", 130.0, 0, 257),
        )
        return spec if path else None
