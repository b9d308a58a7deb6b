"""`dossier init DIR --starter device-gmp-2025`: a whole quality system, tailored to the company; the example is this starter."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from dossier.starters import available_starters, starters_root
from tests.conftest import REPO, run_cli, workspace_today

STARTER = starters_root() / "device-gmp-2025"
PEOPLE = yaml.safe_load((STARTER / "people.yaml").read_text(encoding="utf-8"))["people"]
SECTIONS = ["目的", "适用范围", "职责", "工作程序", "记录", "相关文件"]


@pytest.fixture(scope="module")
def other(tmp_path_factory) -> Path:
    """The starter written for 某某医疗器械有限公司."""
    root = tmp_path_factory.mktemp("starter") / "starter-ws"
    result = run_cli("init", str(root), "--starter", "device-gmp-2025", "--company", "某某医疗器械有限公司", "--address", "浙江省杭州市某路1号")
    assert result.exit_code == 0, result.output
    assert "created" in result.output and "115 documents of the device-gmp-2025 starter for 某某医疗器械有限公司" in result.output
    return root


def test_the_example_workspace_is_the_starter() -> None:
    """content/ and external.yaml are the starter's files; dossier.yaml is the starter's for 示例医疗科技有限公司 plus signing."""
    shipped = sorted(p.name for p in (STARTER / "content").iterdir())
    example = sorted(p.name for p in (REPO / "content").iterdir() if p.is_file())
    assert example == shipped, "run .venv/bin/python scripts/sync-example.py"
    for name in shipped:
        assert (REPO / "content" / name).read_bytes() == (STARTER / "content" / name).read_bytes(), \
            f"content/{name} differs from the starter: edit dossier/starters/device-gmp-2025/content/{name}, then run scripts/sync-example.py"
    assert (REPO / "external.yaml").read_bytes() == (STARTER / "external.yaml").read_bytes()
    config = yaml.safe_load((REPO / "dossier.yaml").read_text(encoding="utf-8"))
    template = yaml.safe_load((STARTER / "dossier.yaml").read_text(encoding="utf-8"))
    assert config.pop("company") == {"name": "示例医疗科技有限公司", "address": "江苏省苏州市工业园区示例路88号"}
    assert config.pop("signing")
    template.pop("company")
    assert config == template


def test_the_starter_is_a_complete_document_set() -> None:
    assert available_starters() == ["device-gmp-2025"]
    kinds = [yaml.safe_load(p.read_text(encoding="utf-8"))["kind"] for p in (STARTER / "content").glob("*.yaml")]
    assert len(kinds) >= 40
    assert kinds.count("quality_manual") == 1 and kinds.count("procedure") == 38 and kinds.count("record_form") == 54
    assert kinds.count("work_instruction") == 15 and kinds.count("validation_protocol") == 5
    assert kinds.count("validation_plan") == 1 and kinds.count("validation_report") == 1


@pytest.mark.parametrize("path", sorted((STARTER / "content").glob("QP-*.md")), ids=lambda p: p.stem)
def test_every_procedure_has_the_sections_and_lists_its_records(path: Path) -> None:
    body = path.read_text(encoding="utf-8")
    headings = re.findall(r"^# (.+)$", body, re.M)
    assert [h for h in headings if h in SECTIONS] == SECTIONS, headings
    records = body.split("\n# 记录\n", 1)[1].split("\n# ", 1)[0]
    cited_forms = set(re.findall(r"\[\[(QR-\d{2}-\d{2})\]\]", body))
    listed = set(re.findall(r"\[\[(QR-\d{2}-\d{2})\]\]", records))
    own = {p.stem for p in (STARTER / "content").glob(f"QR-{path.stem[3:]}-*.yaml")}
    assert own <= listed, f"{path.stem} does not list its own forms {sorted(own - listed)} under # 记录"
    for form in cited_forms:
        assert (STARTER / "content" / f"{form}.yaml").is_file(), form


def _date_fields(value) -> list[str]:
    """Every value of a YAML tree that is a date (a field's whole value, not a date within a sentence)."""
    if isinstance(value, dict):
        return [d for v in value.values() for d in _date_fields(v)]
    if isinstance(value, list):
        return [d for v in value for d in _date_fields(v)]
    text = value.isoformat() if isinstance(value, date) else str(value)
    return [text] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else []


def test_written_for_another_company_the_people_and_dates_are_its_own(other: Path) -> None:
    config_text = (other / "dossier.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(config_text)
    assert config["company"] == {"name": "某某医疗器械有限公司", "address": "浙江省杭州市某路1号"}
    assert not [person for person in PEOPLE if person in config_text]  # the commented approval_authority names roles
    assert "#   default: {review: [质量部经理, 质量部QA], approve: [总经理]}" in config_text
    today = workspace_today(other)  # init dates in the new workspace's time zone
    texts = {p.name: p.read_text(encoding="utf-8") for p in (other / "content").iterdir()}
    for name, text in texts.items():
        for person in PEOPLE:
            assert person not in text, (name, person)
        if name.endswith(".yaml"):  # every date field (sign-offs, effective, plan and report dates) is today
            assert set(_date_fields(yaml.safe_load(text))) <= {today}, name
    qp06 = yaml.safe_load(texts["QP-06.yaml"])
    assert (qp06["prepared_by"]["name"], qp06["reviewed_by"]["name"], qp06["approved_by"]["name"]) == ("质量部QA", "质量部经理", "总经理")
    assert "【请根据本企业实际填写：质量部经理姓名】" in texts["QM-01.md"]
    assert (other / "external.yaml").read_bytes() == (STARTER / "external.yaml").read_bytes()


def test_written_for_another_company_it_checks_and_meets_every_article(other: Path) -> None:
    check = run_cli("check", str(other))
    assert check.exit_code == 0, check.output
    # the one warning: the example validation report VR-12-07 is judged against VP-12-01, not released yet
    assert check.stdout.startswith("ok: 115 documents valid (1 warning)\nopen: ")
    assert "VR-12-07 is judged against VP-12-01 A, which is not released" in check.stderr
    coverage = run_cli("coverage", str(other), "--no-files")
    assert coverage.exit_code == 0, coverage.output
    assert "0 缺口 (gap)" in coverage.stdout


def test_a_numbering_prefix_renames_every_document(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root), "--starter", "device-gmp-2025", "--numbering", "SL-").exit_code == 0
    names = sorted(p.stem for p in (root / "content").glob("*.yaml"))
    assert len(names) == 115 and all(name.startswith("SL-") for name in names)
    qm = (root / "content" / "SL-QM-01.md").read_text(encoding="utf-8")
    assert "[[SL-QP-04]]" in qm and "[[QP-04]]" not in qm and "| 二级 | 程序文件 | SL-QP-XX |" in qm
    assert run_cli("check", str(root)).exit_code == 0
    assert run_cli("coverage", str(root), "--no-files").exit_code == 0


@pytest.mark.parametrize(("options", "message"), [
    (["--starter", "iso-13485"], "error: --starter iso-13485: no such starter (available: device-gmp-2025)"),
    (["--starter", "device-gmp-2025", "--numbering", "S L/"], "error: --numbering 'S L/': a prefix of letters, digits"),
    (["--address", "某路1号"], "error: --address and --numbering go with --starter"),
])
def test_bad_starter_options_are_usage_errors(tmp_path: Path, options: list[str], message: str) -> None:
    result = run_cli("init", str(tmp_path / "ws"), *options)
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "ws" / "dossier.yaml").exists()


def test_an_existing_workspace_is_not_overwritten(other: Path) -> None:
    result = run_cli("init", str(other), "--starter", "device-gmp-2025")
    assert result.exit_code == 2 and "already a dossier workspace" in result.output
