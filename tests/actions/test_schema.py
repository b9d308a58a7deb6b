"""`dossier schema`: the example files validate; what `check` rejects, the schemas reject too."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from dossier.actions.schema import (
    CONFIG_SCHEMA,
    DOCUMENT_SCHEMA,
    EXTERNAL_SCHEMA,
    LABS_SCHEMA,
    PRODUCT_SCHEMA,
    kind_schema_name,
    schemas,
)
from dossier.disinfectant.spec import LABS_FILE, LICENCE, PRODUCT_FILE, RAW_MATERIAL
from dossier.errors import Problems
from dossier.validate.blocks import VALIDATION
from dossier.validation.spec import CRITERION, DEVIATION, PLAN_OBJECT, REPORT, REVALIDATION
from dossier.workspace.kinds import ART76_ELEMENTS, KINDS
from dossier.workspace.yamlsrc import load_yaml
from tests.conftest import REPO, copy_workspace, run_cli


def _load(path: Path):
    problems = Problems()
    data = load_yaml(path, problems, str(path))
    assert not problems.items, problems.items
    return data


def _errors(schema: dict, data) -> list[str]:
    validator = jsonschema.Draft7Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("schemas")
    result = run_cli("schema", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def _schema(out: Path, name: str) -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


def test_schema_writes_one_file_per_kind_and_is_reproducible(written: Path, tmp_path: Path) -> None:
    names = sorted(p.name for p in written.iterdir())
    assert names == sorted([CONFIG_SCHEMA, DOCUMENT_SCHEMA, PRODUCT_SCHEMA, LABS_SCHEMA, EXTERNAL_SCHEMA, *(kind_schema_name(k) for k in KINDS)])
    for name in names:
        jsonschema.Draft7Validator.check_schema(_schema(written, name))
    assert run_cli("schema", "--out", str(tmp_path)).exit_code == 0
    assert all((tmp_path / n).read_bytes() == (written / n).read_bytes() for n in names)


def test_every_example_file_validates(written: Path, tmp_path: Path) -> None:
    assert _errors(_schema(written, CONFIG_SCHEMA), _load(REPO / "dossier.yaml")) == []
    documents = sorted((REPO / "content").glob("*.yaml"))
    assert len(documents) >= 7
    for path in documents:
        data = _load(path)
        assert _errors(_schema(written, kind_schema_name(data["kind"])), data) == [], path
        assert _errors(_schema(written, DOCUMENT_SCHEMA), data) == [], path
    products = sorted((REPO / "content" / "disinfectant").glob("*/product.yaml"))
    assert len(products) >= 3
    for path in products:
        assert _errors(_schema(written, PRODUCT_SCHEMA), _load(path)) == [], path
    assert _errors(_schema(written, LABS_SCHEMA), _load(REPO / "content" / "disinfectant" / "labs.yaml")) == []
    register = _load(REPO / "external.yaml")
    assert len(register["documents"]) >= 10
    assert _errors(_schema(written, EXTERNAL_SCHEMA), register) == []
    # and what `dossier init` writes
    assert run_cli("init", str(tmp_path / "ws")).exit_code == 0
    assert _errors(_schema(written, CONFIG_SCHEMA), _load(tmp_path / "ws" / "dossier.yaml")) == []
    settings = json.loads((tmp_path / "ws" / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"][f"./schemas/{EXTERNAL_SCHEMA}"] == "external.yaml"
    for path in sorted((tmp_path / "ws" / "content").glob("*.yaml")):
        assert _errors(_schema(written, DOCUMENT_SCHEMA), _load(path)) == [], path


# (file, text replaced, replacement, the error `check` reports, the path the schema names)
BAD_SAMPLES = [
    ("content/QP-04.yaml", "department: 质量部", "departmnet: 质量部", "departmnet: unknown field", ""),
    ("content/QP-04.yaml", "revision: A", "revision: [A]", "revision: expected text, got a list", "revision"),
    ("content/QP-04.yaml", "title: 文件控制程序\n", "", "title: is required", ""),
    ("content/QP-04.yaml", "{copy: 1,", "{copy: 一,", "distribution[1].copy: expected a whole number", "distribution/0/copy"),
    ("content/QR-12-01.yaml", "rows:", "rowz:", "form.rowz: unknown field", "form"),
    ("content/VP-12-01.yaml", "  sampling:", "  smpling:", "validation.smpling: unknown field", "validation"),
    ("content/QP-05.yaml", "kind: procedure", "kind: record_form", "form", ""),
    ("dossier.yaml", "revision_scheme: letters", "revision_schema: letters", "revision_schema: unknown field", ""),
    ("dossier.yaml", "  default: 10 ", "  default: 十年 ", "retention_years.default: expected a number of years N", "retention_years/default"),
    ("dossier.yaml", "  default: 10 ", "  default: 1 ", "retention_years.default: 1 keeps a revision 1 year", "retention_years/default"),
    ("dossier.yaml", "record_form: device_lifetime + 2", "record_form: device_life + 2",
     "retention_years.record_form: expected a number of years N", "retention_years/record_form"),
    ("dossier.yaml", "  master-list: QR-04-01", "  master_list: QR-04-01", "registers.master_list: unknown field", "registers"),
    ("dossier.yaml", "revision_scheme: letters", "revision_scheme: letters\nnumbering_style: chapters",
     "numbering_style: unknown heading numbering", "numbering_style"),
    ("dossier.yaml", "device_lifetime_years: 8", "device_lifetime_years: 八", "device_lifetime_years: expected a whole number",
     "device_lifetime_years"),
    ("content/VMP-01.yaml", "      type: premises", "      type: building", "plan.objects[1].type: unknown object type",
     "plan/objects/0/type"),
    ("content/VMP-01.yaml", "      owner: 设备部 刘洋", "      ownr: 设备部 刘洋", "plan.objects[1].ownr: unknown field", "plan/objects/0"),
    ("content/VMP-01.yaml", "        interval_months: 12", "        interval_months: 12个月",
     "plan.objects[1].revalidation.interval_months: expected a whole number", "plan/objects/0/revalidation/interval_months"),
    ("content/VP-12-01.yaml", "      samples: 10", "      samples: 十", "acceptance_criteria[2].samples: expected a number",
     "validation/acceptance_criteria/1"),
    ("content/VP-12-01.yaml", "      mean: {max: 100}", "      mean: {max: 100, mxa: 1}", "acceptance_criteria[2].mean.mxa: unknown field",
     "validation/acceptance_criteria/1"),
    ("content/VR-12-07.yaml", "  executed: {from:", "  executd: {from:", "report.executd: unknown field", "report"),
    ("content/VR-12-07.yaml", "      affects_conclusion: false", "      affects_conclusion: 否",
     "deviations[1].affects_conclusion: expected true or false", "report/deviations/0/affects_conclusion"),
    ("content/VR-12-07.yaml", "    AC-02: {unit:", "    AC-02: {units:", "report.results.AC-02.units: unknown field", "report/results/AC-02"),
    ("content/VR-12-07.yaml", "  protocol_revision: A\n", "  protocol_revision: A\n  conclusion: 通过\n",
     "report.conclusion: expected 合格 or 不合格", "report/conclusion"),
    ("dossier.yaml", "  name: 示例医疗科技有限公司\n", "", "company.name: is required", "company"),
    ("dossier.yaml", "role: 编制,", "role: 编制, visibel: true,", "signing.profiles.author.visibel: unknown field", "signing/profiles/author"),
    ("dossier.yaml", "revision_scheme: letters", "revision_scheme: letters\nrequire_signed_releases: 是",
     "require_signed_releases: must be true or false", "require_signed_releases"),
    ("dossier.yaml", "revision_scheme: letters", "revision_scheme: letters\napproval_authority: {procedure: {sign: [王建国]}}",
     "approval_authority.procedure.sign: unknown field", "approval_authority/procedure"),
    ("dossier.yaml", "revision_scheme: letters", "revision_scheme: letters\nconverter: {servers: unoserver://127.0.0.1:2003, timeout: 9000}",
     "converter.timeout: expected seconds per document, from 1 to 3600, got 9000", "converter"),
    ("dossier.yaml", "revision_scheme: letters", "revision_scheme: letters\nconverter: {server: unoserver://127.0.0.1:2003}",
     "converter.server: unknown field", "converter"),
    ("content/disinfectant/skin-ethanol/product.yaml", "  form_model: 液体", "  form_modle: 液体",
     "product.form_modle: unknown field", "product"),
    ("content/disinfectant/skin-ethanol/product.yaml", "  x_mm: 145", "  x_mm: 左下",
     "filing.x_mm: expected a number", "filing/x_mm"),
    ("content/disinfectant/skin-ethanol/product.yaml", "  name: 示例牌75%乙醇皮肤消毒液\n", "",
     "product.name: is required", "product"),
    ("content/disinfectant/iodophor-renewal/product.yaml", "valid_until: 2025-03-14}", "valid_until: [2025-03-14]}",
     "manufacturer.hygiene_licence[1].valid_until: expected a date", "manufacturer/hygiene_licence"),
    ("content/disinfectant/iodophor-renewal/product.yaml", "    previous_date: 2021-06-10\n", "",
     "evaluation.renewal.previous_date: is required", "evaluation/renewal"),
    ("content/disinfectant/labs.yaml", "  - name: 华东示例消毒产品检验中心", "  - nmae: 华东示例消毒产品检验中心",
     "labs[1].nmae: unknown field", "labs/0"),
    ("external.yaml", "    issuer: 国务院\n", "    isuer: 国务院\n", "documents[1].isuer: unknown field", "documents/0"),
    ("external.yaml", "    status: current\n", "    status: 现行\n", "documents[1].status: expected one of current, superseded, withdrawn",
     "documents/0/status"),
]


def _schema_for(out: Path, name: str, data) -> dict:
    if name == "dossier.yaml":
        return _schema(out, CONFIG_SCHEMA)
    if name.endswith("product.yaml"):
        return _schema(out, PRODUCT_SCHEMA)
    if name.endswith("labs.yaml"):
        return _schema(out, LABS_SCHEMA)
    if name == "external.yaml":
        return _schema(out, EXTERNAL_SCHEMA)
    return _schema(out, DOCUMENT_SCHEMA)


@pytest.mark.parametrize(("name", "old", "new", "message", "where"), BAD_SAMPLES,
                         ids=[f"{s[0].split('/')[-1]}:{s[3].split(':')[0]}" for s in BAD_SAMPLES])
def test_what_check_rejects_the_schema_rejects(written: Path, tmp_path: Path, name: str, old: str, new: str,
                                                message: str, where: str) -> None:
    root = copy_workspace(tmp_path / "ws")
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2, result.output
    assert message in result.output, result.output
    errors = _errors(_schema_for(written, name, None), _load(path))
    assert errors, f"the schema accepts what check rejects: {name} {new!r}"
    assert any(e.startswith(f"{where}:") for e in errors), errors


def test_definitions_match_the_rules_they_stand_for() -> None:
    assert {f.name for f in VALIDATION.fields if f.required} == set(ART76_ELEMENTS)
    assert schemas()[kind_schema_name("record_form")]["properties"]["form"]["required"] == ["columns", "rows"]


def test_formula_material_keys_the_reader_accepts_are_in_the_schema(tmp_path: Path) -> None:
    """formula.py checks material keys per raw-material kind; the schema lists their union."""
    root = copy_workspace(tmp_path / "ws")
    path = root / "content" / "disinfectant" / "skin-ethanol" / "product.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    - name: 乙醇\n", "    - name: 乙醇\n      zz_probe: 1\n", 1), encoding="utf-8")
    result = run_cli("check", str(root))
    accepted = re.search(r"zz_probe: unknown field \(expected one of: ([^)]*)\)", result.output)
    assert accepted, result.output
    assert set(accepted.group(1).split(", ")) <= {f.name for f in RAW_MATERIAL}
    assert PRODUCT_FILE["formula"]["materials"].names == {f.name for f in RAW_MATERIAL}


# (file, line after which a probe key is inserted, its indentation, the definition that lists the keys)
PROBES = [
    ("../VMP-01.yaml", "      owner: 设备部 刘洋\n", "      ", PLAN_OBJECT),
    ("../VMP-01.yaml", "        interval_months: 12\n", "        ", REVALIDATION),
    ("../VP-12-01.yaml", "      mean: {max: 100}\n", "      ", CRITERION),
    ("../VR-12-07.yaml", "  protocol_revision: A\n", "  ", REPORT),
    ("../VR-12-07.yaml", "      capa: CAPA-2026-019\n", "      ", DEVIATION),
    ("iodophor-renewal/product.yaml", "    previous_date: 2021-06-10\n", "    ", PRODUCT_FILE["evaluation"]["renewal"]),
    ("iodophor-renewal/product.yaml", "      - item: pH值测定\n", "        ",
     PRODUCT_FILE["evaluation"]["renewal"]["sampling_exemptions"]),
    ("labs.yaml", "  - name: 华东示例消毒产品检验中心\n", "    ", LABS_FILE["labs"]),
    ("labs.yaml", "# 范围覆盖所检项目的机构。虚构数据。\n", "", LABS_FILE),
]


@pytest.mark.parametrize(("name", "after", "indent", "field"), PROBES, ids=[f"{p[0]}:{p[3].name}" for p in PROBES])
def test_keys_read_outside_the_definitions_are_those_the_schema_lists(tmp_path: Path, name: str, after: str, indent: str,
                                                                      field) -> None:
    """Modules that read their keys themselves (credentials.py, renewal.py, the validation readers) accept
    exactly the defined keys."""
    root = copy_workspace(tmp_path / "ws")
    path = root / "content" / "disinfectant" / name
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + f"{indent}zz_probe: 1\n", 1), encoding="utf-8")
    accepted = re.search(r"zz_probe: unknown field \(expected one of: ([^)]*)\)", run_cli("check", str(root)).output)
    assert accepted, name
    assert set(accepted.group(1).split(", ")) == field.names


def test_licence_forms_the_reader_accepts() -> None:
    schema = schemas()[PRODUCT_SCHEMA]["properties"]["manufacturer"]["properties"]["hygiene_licence"]
    validator = jsonschema.Draft7Validator(schema)
    licence = {"number": "苏卫消证字（2021）第3205-0088号", "valid_from": "2021-03-15", "valid_until": "2025-03-14"}
    for value in ("苏卫消证字（2021）第3205-0088号", licence, [licence], None):
        assert not list(validator.iter_errors(value)), value
    for value in (True, [], [{"number": "x"}], {**licence, "issuer": "x"}):
        assert list(validator.iter_errors(value)), value
    assert LICENCE.names == {"number", "valid_from", "valid_until"}
