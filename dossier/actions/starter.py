"""`dossier init DIR --starter NAME`: a complete quality system from a starter shipped with dossier.

The starter's files are the example company's documents (`dossier/starters/NAME/`). Writing them
for another company tailors them: the company name and address go into dossier.yaml; every date
of the YAML (sign-offs, effective date, planned validation dates) becomes today; the example staff
(`people.yaml`) become role titles in sign-offs and planned distribution (编制 质量部QA) and spots to
fill in elsewhere (【请根据本企业实际填写：质量部经理姓名】), in dossier.yaml role titles; with a numbering prefix, every document
number (file names, ids, [[ID]] citations, numbers in the text, the numbering patterns, the
register form numbers) gets it. A validation report's results files (.csv) are copied as they are.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from dossier.errors import UsageError
from dossier.starters import available_starters, starters_root
from dossier.util.atomic import write_text

PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_DATE = re.compile(r'"\d{4}-\d{2}-\d{2}"')
# a document number of the starter's numbering (QP-04, WI-13-05) or the pattern it shows (QM-XX, WI-XX-YY)
_NUMBER = re.compile(r"(?<![A-Za-z0-9_/\-])((?:QM|QP|WI|QR|VP|VMP|VR)-(?:\d{2}|XX)(?:-(?:\d{2}|YY))?)(?![A-Za-z0-9_]|-[A-Za-z0-9])")
_PATTERN = re.compile(r'^(\s+\w+: ")((?:QM|QP|WI|QR|VP|VMP|VR)-)', re.M)


def _people(folder: Path) -> tuple[str, dict[str, str]]:
    data = yaml.safe_load((folder / "people.yaml").read_text(encoding="utf-8")) if (folder / "people.yaml").is_file() else {}
    return data.get("example_company", ""), dict(data.get("people") or {})


def _tailor(text: str, is_yaml: bool, people: dict[str, str], today: str | None, prefix: str) -> str:
    """One starter file written for another company (see module docstring); `today` None keeps the dates."""
    if is_yaml and today:
        text = _DATE.sub(f'"{today}"', text)
        for name, role in people.items():
            text = re.sub(rf"\b(name|holder): {re.escape(name)}\b", rf"\1: {role}", text)
    for name, role in people.items():
        text = text.replace(name, f"【请根据本企业实际填写：{role}姓名】")
    if prefix:
        text = _NUMBER.sub(lambda m: prefix + m.group(1), text)
    return text


def _config(template: str, company: str, address: str, prefix: str, people: dict[str, str]) -> str:
    text = template.replace("__COMPANY__", json.dumps(company, ensure_ascii=False))
    for name, role in people.items():  # the example's approval_authority names people; another company gets the roles
        text = text.replace(name, role)
    text = text.replace("__ADDRESS__", json.dumps(address, ensure_ascii=False))
    if prefix:
        text = _PATTERN.sub(lambda m: m.group(1) + re.escape(prefix).replace("\\", "\\\\") + m.group(2), text)
        text = _NUMBER.sub(lambda m: prefix + m.group(1), text)  # register form numbers, numbers in comments
    return text


def starter_files(name: str, company: str, address: str, today: str, prefix: str = "") -> dict[str, str]:
    """{relative path: text} of the starter `name` written for `company`; UsageError for an unknown starter or prefix."""
    if name not in available_starters():
        raise UsageError(f"error: --starter {name}: no such starter (available: {', '.join(available_starters())})")
    if prefix and not PREFIX.fullmatch(prefix):
        raise UsageError(f"error: --numbering {prefix!r}: a prefix of letters, digits, '.', '_' or '-' (e.g. SL-)")
    folder = starters_root() / name
    example_company, people = _people(folder)
    other = company != example_company  # another company: its own people and dates
    template = (folder / "dossier.yaml").read_text(encoding="utf-8")
    files = {"dossier.yaml": _config(template, company, address, prefix, people if other else {})}
    if (folder / "external.yaml").is_file():
        files["external.yaml"] = (folder / "external.yaml").read_text(encoding="utf-8")
    for path in sorted((folder / "content").iterdir()):
        if path.suffix == ".csv":  # a validation report's results: data, as measured
            files[f"content/{path.name}"] = path.read_text(encoding="utf-8")
            continue
        if path.suffix not in (".yaml", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        target = path.name
        if other or prefix:
            text = _tailor(text, path.suffix == ".yaml", people if other else {}, today if other else None, prefix)
            target = _NUMBER.sub(lambda m: prefix + m.group(1), path.name) if prefix else path.name
        files[f"content/{target}"] = text
    return files


def init_starter(directory: Path, name: str, company: str, address: str, today: str, prefix: str = "") -> list[Path]:
    """Write the starter `name` into `directory` (which must not be a workspace yet); the paths written."""
    if (directory / "dossier.yaml").exists():
        raise UsageError(f"error: {directory}: already a dossier workspace (dossier.yaml exists)")
    files = starter_files(name, company, address, today, prefix)
    written = []
    for relative, text in files.items():
        write_text(directory / relative, text)
        written.append(directory / relative)
    return written
