"""A disinfection product as its YAML describes it, once checked: the frozen data classes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dossier.disinfectant.credentials import Labs, Licence, licence_on
from dossier.disinfectant.formula import Formula
from dossier.disinfectant.renewal import RenewalRecord
from dossier.disinfectant.requirements import Selection, selection_for
from dossier.disinfectant.ruleset import ProductType, RuleSet

DEVICE_GROUP = "消毒器械"


def scope_applies(scope: str, imported: bool, product_type: ProductType) -> bool:
    """Whether a form question or material of `scope` (all, domestic, import, formula, device) applies."""
    return {
        "all": True,
        "domestic": not imported,
        "import": imported,
        "formula": product_type.has_formula,
        "device": product_type.group == DEVICE_GROUP,
    }[scope]


@dataclass(frozen=True)
class Party:
    """A company named on the forms: responsible unit or actual manufacturer."""

    name: str
    name_en: str = ""
    address: str = ""
    country: str = ""
    legal_representative: str = ""
    phone: str = ""
    postcode: str = ""
    fax: str = ""
    contact: str = ""


@dataclass(frozen=True)
class ImportInfo:
    """Import papers: customs declaration and the business licence of the unit in China."""

    customs_declaration: str
    business_licence: str


@dataclass(frozen=True)
class ReportItem:
    """One test item of a test report."""

    item: str
    tests: tuple[str, ...]
    result: str
    conforms: bool
    conclusion: str
    line: int


@dataclass(frozen=True)
class TestReport:
    """A test report (检验报告) from a testing institution."""

    lab: str
    number: str
    date: date
    batch: str
    items: tuple[ReportItem, ...]


@dataclass(frozen=True)
class Change:
    """A declared change after the evaluation (第十二条/第十四条)."""

    change: str
    date: date
    usages: tuple[str, ...]
    original_sample: bool


@dataclass(frozen=True)
class SealSpec:
    """The company seal image and where it goes on each page (millimetres from lower left)."""

    image: Path
    x_mm: float
    y_mm: float
    width_mm: float
    cross_page: bool
    cross_width_mm: float
    cross_y_mm: float


@dataclass(frozen=True)
class Product:
    """Everything one product's YAML says, checked."""

    source: Path
    shown: str
    rules: RuleSet
    name: str
    name_en: str
    form_model: str
    product_type: str
    usages: tuple[str, ...]
    facts: tuple[str, ...]
    enterprise_standard: str
    imported: bool
    responsible: Party
    manufacturer: Party
    import_info: ImportInfo | None
    formula: Formula | None
    reports: tuple[TestReport, ...]
    evaluation_date: date
    answers: dict[str, bool]
    changes: tuple[Change, ...]
    materials: dict[str, tuple[Path, ...]]
    seal: SealSpec
    licences: tuple[Licence, ...] = ()  # the manufacturer's hygiene licences (domestic), oldest first
    renewal: RenewalRecord | None = None  # 第十四条 re-evaluation
    labs: Labs | None = None  # labs.yaml beside the product folders, when there is one

    @property
    def slug(self) -> str:
        """Directory name of the product (used in output file names)."""
        return self.source.parent.name

    @property
    def type_info(self) -> ProductType:
        """The rule set's entry for the product type: its group, usages and formula."""
        return self.rules.types[self.product_type]

    @property
    def is_device(self) -> bool:
        """True for 消毒器械."""
        return self.type_info.group == DEVICE_GROUP

    @property
    def selection(self) -> Selection:
        """Type, usages, facts and renewal as the rules see them."""
        return selection_for(self.rules, self.product_type, self.usages, self.facts, self.renewal is not None)

    @property
    def licence(self) -> Licence | None:
        """The hygiene licence valid on the evaluation date (the one the forms name), else the last."""
        return licence_on(self.licences, self.evaluation_date) or (self.licences[-1] if self.licences else None)

    def applies(self, scope: str) -> bool:
        """Whether a form question or material of `scope` applies to this product."""
        return scope_applies(scope, self.imported, self.type_info)
