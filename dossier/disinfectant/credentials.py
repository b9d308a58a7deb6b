"""Hygiene licences (卫生许可证, 第五条) and test laboratories' qualifications (资质认定, 第十一条).

A domestic manufacturer's `hygiene_licence` is one licence `{number, valid_from, valid_until}`,
a list of them (the licence history, renewals included), or — as older product files have it —
just the number (validity then unknown). Laboratories are listed once for all products in
`labs.yaml` beside the product folders:

    labs:
      - name: 华东示例消毒产品检验中心          # as test_reports[].lab names it
        qualifications:                          # 资质认定证书, renewals included
          - certificate: "161012340567"
            valid_from: 2022-01-10
            valid_until: 2028-01-09
            scope: [外观, pH值测定, …]           # test items (Annex 2 names) in the approved capability
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dossier.errors import Problems
from dossier.workspace.fields import FieldReader
from dossier.workspace.yamlsrc import SourceMap, load_yaml

LABS_FILE = "labs.yaml"


@dataclass(frozen=True)
class Licence:
    """One hygiene licence; dates are None when the product file gives only the number."""

    number: str
    valid_from: date | None
    valid_until: date | None

    def valid_on(self, when: date) -> bool:
        """True when the licence was valid on `when` (unknown validity counts as valid)."""
        if self.valid_from is None or self.valid_until is None:
            return True
        return self.valid_from <= when <= self.valid_until


def licence_on(licences: tuple[Licence, ...], when: date) -> Licence | None:
    """The licence valid on `when` (the latest one when several are), or None."""
    valid = [lic for lic in licences if lic.valid_on(when)]
    return valid[-1] if valid else None


def read_licences(reader: FieldReader, key: str, required: bool) -> tuple[Licence, ...]:
    """The licences under `key` of `reader` (text, a mapping or a list of mappings)."""
    value = reader.get(key)
    if value is None or value == "":
        if required:
            reader.fail(key, "is required: the hygiene licence {number, valid_from, valid_until} (国产产品)")
        return ()
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return (Licence(str(value).strip(), None, None),)
    entries = [reader.child(key)] if isinstance(value, SourceMap) else reader.mappings(key)
    if required and not entries:
        reader.fail(key, "expected a licence {number, valid_from, valid_until} or a list of them")
    licences = []
    for entry in entries:
        if entry is None:
            continue
        entry.unknown({"number", "valid_from", "valid_until"})
        number = entry.text("number", required=True)
        start, until = entry.date("valid_from", required=True), entry.date("valid_until", required=True)
        if start and until and until < start:
            entry.fail("valid_until", f"{until} is before valid_from {start}")
        if number and start and until:
            licences.append(Licence(number, start, until))
    return tuple(sorted(licences, key=lambda lic: lic.valid_from or date.min))


@dataclass(frozen=True)
class Qualification:
    """A laboratory's 资质认定 certificate: number, validity and the items it covers."""

    certificate: str
    valid_from: date
    valid_until: date
    scope: frozenset[str]


@dataclass(frozen=True)
class Lab:
    """A test laboratory and its qualifications over time."""

    name: str
    qualifications: tuple[Qualification, ...]


@dataclass(frozen=True)
class Labs:
    """The laboratories of a workspace, from `labs.yaml` (shown: the file as messages name it)."""

    shown: str
    labs: dict[str, Lab]


def labs_file(product_file: Path) -> Path:
    """Where the labs of a product are listed: labs.yaml in the folder of the product folders."""
    return product_file.parent.parent / LABS_FILE


def load_labs(path: Path, problems: Problems, shown: str) -> Labs | None:
    """Read labs.yaml; None when the file does not exist. Problems carry file, line and field."""
    if not path.is_file():
        return None
    data = load_yaml(path, problems, shown)
    if not isinstance(data, SourceMap):
        if data is not None:
            problems.add(shown, None, "", "expected a mapping with `labs:`")
        return None
    root = FieldReader(data, problems)
    root.unknown({"labs"})
    labs: dict[str, Lab] = {}
    for entry in root.mappings("labs"):
        entry.unknown({"name", "qualifications"})
        name = entry.text("name", required=True)
        if name in labs:
            entry.fail("name", f"lab {name} is listed twice")
        qualifications = []
        readers = entry.mappings("qualifications")
        if not readers:
            entry.fail("qualifications", "is required: the lab's 资质认定 certificates (第十一条)")
        for q in readers:
            q.unknown({"certificate", "valid_from", "valid_until", "scope"})
            certificate = q.text("certificate", required=True)
            start, until = q.date("valid_from", required=True), q.date("valid_until", required=True)
            scope = q.text_list("scope", required=True)
            if start and until and until < start:
                q.fail("valid_until", f"{until} is before valid_from {start}")
            if certificate and start and until:
                qualifications.append(Qualification(certificate, start, until, frozenset(scope)))
        if name:
            labs[name] = Lab(name, tuple(qualifications))
    return Labs(shown, labs)
