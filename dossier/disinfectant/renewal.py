"""A renewal (第十四条): the re-evaluation of a first-class product before its report expires.

In product.yaml, under `evaluation:`:

    renewal:
      previous_date: 2021-05-10            # evaluation date of the report being renewed
      previous_filing: 苏卫消备字（2021）第0123号   # its filing (备案) number, optional
      sampling_exemptions:                 # 两年内国家监督抽检合格的检验项目可不再做
        - item: pH值测定                    # a key item of the product's table
          inspection: 2024年国家消毒产品监督抽检
          date: 2024-09-12
          report: GJCJ-2024-0456
          conclusion: 合格
          evidence: [materials/sampling-2024.png]   # bound into the filing after the test reports

Only the key items are tested (`dossier.disinfectant.requirements` plans them); whether an
exemption holds (date within the years the rule set gives, 合格) is judged by the evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dossier.workspace.fields import FieldReader

PASSED = ("合格", "符合要求")


@dataclass(frozen=True)
class Exemption:
    """An item that passed a national supervisory sampling inspection (国家监督抽检)."""

    item: str
    inspection: str
    date: date
    report: str
    conclusion: str
    evidence: tuple[Path, ...]
    line: int
    field: str


@dataclass(frozen=True)
class RenewalRecord:
    """What product.yaml says about the renewal."""

    previous_date: date
    previous_filing: str
    exemptions: tuple[Exemption, ...]
    line: int


FileCheck = Callable[[FieldReader, str, str, int], Path | None]


def read_renewal(
    section: FieldReader | None, evaluation_date: date | None, key_items: list[str], check_file: FileCheck
) -> RenewalRecord | None:
    """The renewal record of `evaluation.renewal` (None when absent); problems are located.

    Exemptions must name one of `key_items`; `check_file(reader, key, value, index)` resolves an
    evidence file or records why it cannot.
    """
    if section is None:
        return None
    section.unknown({"previous_date", "previous_filing", "sampling_exemptions"})
    previous = section.date("previous_date", required=True)
    if previous and evaluation_date and previous >= evaluation_date:
        section.fail("previous_date", f"{previous} is not before the evaluation date {evaluation_date}")
    exemptions = []
    for entry in section.mappings("sampling_exemptions"):
        entry.unknown({"item", "inspection", "date", "report", "conclusion", "evidence"})
        when = entry.date("date", required=True)
        item = entry.text("item", required=True)
        if item and item not in key_items:
            entry.fail("item", f"{item!r} is not a key item of a renewal (expected one of: {'、'.join(key_items)})")
        evidence = entry.text_list("evidence", required=True)
        paths = [check_file(entry, "evidence", value, index) for index, value in enumerate(evidence)]
        values = (
            item,
            entry.text("inspection", required=True),
            when,
            entry.text("report", required=True),
            entry.text("conclusion", required=True),
        )
        if all(values):
            exemptions.append(
                Exemption(*values, tuple(p for p in paths if p), entry.mapping.line, entry.prefix.rstrip("."))  # type: ignore[arg-type]
            )
    if previous is None:
        return None
    return RenewalRecord(previous, section.text("previous_filing"), tuple(exemptions), section.line)
