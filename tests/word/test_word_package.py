"""Every .docx dossier writes opens in Word and WPS without repair, in the fonts Chinese offices have.

Checked on the produced files: the example build (controlled documents and disinfectant
annexes), `dossier register` and a `dossier diff` redline. Core properties appear once each, in
the core-properties namespaces; no stock parts; openxml-audit finds no error; fonts are 宋体/黑体/
Times New Roman by default (or the workspace's `fonts:`), listed in fontTable.xml with their
alternate names, and a template's own faces survive unless the workspace overrides them.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from tests.conftest import REPO, copy_workspace, run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CORE_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
STOCK_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/item1.xml", "docProps/custom.xml")


@pytest.fixture(scope="module")
def every_docx(example_build: Path, tmp_path_factory) -> list[Path]:
    """Every .docx of the example build, plus the register and a redline (release, edit, revise, diff)."""
    root = copy_workspace(tmp_path_factory.mktemp("word-package"))  # the documents themselves come from example_build
    released = run_cli("release", "WI-12-01", "--approved-by", "李强", "--reason", "首次发布", "-w", str(root))
    assert released.exit_code == 0, released.output
    for command in (["issue", "WI-12-01", "--copy", "1", "--copy", "2", "--by", "王芳"],
                    ["recall", "WI-12-01", "--copy", "2", "--by", "王芳"],
                    ["destroy", "WI-12-01", "--copy", "2", "--by", "王芳", "--witness", "李强"]):
        result = run_cli(*command, "-w", str(root))
        assert result.exit_code == 0, result.output
    assert run_cli("register", str(root), "--drafts").exit_code == 0  # master list, drafts, distribution, destruction, external
    revised = run_cli("revise", "WI-12-01", "--change", "增加消毒剂轮换要求", "-w", str(root))
    assert revised.exit_code == 0, revised.output
    body = root / "content" / "WI-12-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n每月轮换使用两种消毒剂。\n", encoding="utf-8")
    diff = run_cli("diff", "WI-12-01", "--no-pdf", "-w", str(root))
    assert diff.exit_code == 0, diff.output
    files = sorted((example_build / "build").rglob("*.docx")) + sorted((root / "build" / "register").glob("*.docx"))
    files += sorted((root / "build" / "diff").glob("*.docx")) + sorted((root / "releases").rglob("*.docx"))
    kinds = {p.parent.name for p in files}
    assert {"build", "register", "diff", "skin-ethanol", "plasma-air-device", "A"} <= kinds
    assert {p.stem for p in files if p.parent.name == "register"} == {"master-list", "drafts", "distribution", "destruction",
                                                                             "external"}
    return files


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_core_properties_appear_once_in_their_own_namespaces(every_docx: list[Path]) -> None:
    for path in every_docx:
        core = etree.fromstring(_parts(path)["docProps/core.xml"])
        tags = Counter(child.tag for child in core)
        assert all(count == 1 for count in tags.values()), (path.name, tags)
        allowed = set(CORE_NS.values())
        assert {etree.QName(tag).namespace for tag in tags} <= allowed, (path.name, tags)
        assert core.find("dcterms:created", CORE_NS) is not None and core.find("dc:title", CORE_NS).text


def test_no_stock_parts_and_no_part_without_a_relationship(every_docx: list[Path]) -> None:
    for path in every_docx:
        parts = _parts(path)
        assert not set(STOCK_PARTS) & set(parts), path.name
        assert b"savePreviewPicture" not in parts["word/settings.xml"]
        assert len(parts["word/styles.xml"]) < 60_000, (path.name, len(parts["word/styles.xml"]))


def test_openxml_audit_finds_no_error(every_docx: list[Path]) -> None:
    from openxml_audit import OpenXmlValidator

    validator = OpenXmlValidator()
    for path in every_docx:
        result = validator.validate(str(path))
        assert result.is_valid, (path.name, [str(e) for e in result.errors][:5])
        core_warnings = [str(w) for w in getattr(result, "warnings", []) if "core" in str(w).lower()]
        assert not core_warnings, (path.name, core_warnings)


def test_chinese_language_and_fonts_everywhere(every_docx: list[Path]) -> None:
    for path in every_docx:
        parts = _parts(path)
        settings = parts["word/settings.xml"].decode()
        assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings), path.name
        everything = b"".join(parts.values()).decode("utf-8", "replace")
        assert "ja-JP" not in everything and "ＭＳ" not in everything and "Noto" not in everything, path.name
        fonts = etree.fromstring(parts["word/fontTable.xml"])
        table = {f.get(f"{{{W}}}name"): f for f in fonts}
        assert "宋体" in table, (path.name, list(table))
        song = table["宋体"]
        assert song.find(f"{{{W}}}altName").get(f"{{{W}}}val") == "SimSun"
        assert song.find(f"{{{W}}}panose1").get(f"{{{W}}}val") == "02010600030101010101"
        assert song.find(f"{{{W}}}charset").get(f"{{{W}}}val") == "86"
        named = {face for tag in re.findall(r"<w:rFonts [^>]*>", everything)
                 for face in re.findall(r'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"', tag)}
        assert named <= set(table), (path.name, named - set(table))


def test_procedure_styles_name_song_and_hei(example_build: Path) -> None:
    document = Document(str(example_build / "build" / "QP-04.docx"))
    styles = etree.tostring(document.styles.element, encoding="unicode")
    assert re.search(r'<w:docDefaults>.*w:eastAsia="宋体"', styles, re.S)
    for name in ("Heading 1", "Heading 2", "Title"):
        heading = etree.tostring(document.styles[name].element, encoding="unicode")
        assert 'w:eastAsia="黑体"' in heading and 'w:ascii="Times New Roman"' in heading, name


def test_pdf_embeds_cjk_glyphs_for_the_office_fonts(example_build: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(example_build / "build" / "QP-04.pdf")], capture_output=True, text=True,
                           check=True).stdout
    rows = fonts.splitlines()[2:]
    assert any("NotoSerifCJK" in r for r in rows) and any("NotoSansCJK" in r for r in rows), fonts
    assert any("LiberationSerif" in r for r in rows), fonts  # Times New Roman, metric-compatible
    assert all(re.search(r"\s+yes\s+yes\s+", r) for r in rows), fonts


def _docx_styles(path: Path) -> str:
    return _parts(path)["word/styles.xml"].decode()


def test_workspace_fonts_override_the_default_faces(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "fonts: {body: 仿宋, heading: 黑体, record_form: {body: 楷体}}\n",
                      encoding="utf-8")
    result = run_cli("build", str(root), "--format", "docx", "--only", "QP-04", "--only", "QR-12-01")
    assert result.exit_code == 0, result.output
    procedure = _docx_styles(root / "build" / "QP-04.docx")
    assert re.search(r'<w:docDefaults>.*?w:eastAsia="仿宋"', procedure, re.S)
    assert 'w:eastAsia="宋体"' not in procedure
    form = _docx_styles(root / "build" / "QR-12-01.docx")
    assert re.search(r'<w:docDefaults>.*?w:eastAsia="楷体"', form, re.S)
    table = _parts(root / "build" / "QP-04.docx")["word/fontTable.xml"].decode()
    assert '<w:font w:name="仿宋"><w:altName w:val="FangSong"/>' in table


def test_a_template_keeps_its_own_fonts_unless_the_workspace_sets_them(tmp_path: Path) -> None:
    from dossier.word.templates import PACKAGE_TEMPLATES

    root = copy_workspace(tmp_path / "ws")
    template = Document(str(PACKAGE_TEMPLATES / "procedure.docx"))
    normal = template.styles["Normal"].element.get_or_add_rPr()
    fonts = normal.find(f"{{{W}}}rFonts")
    if fonts is None:
        fonts = etree.Element(f"{{{W}}}rFonts")
        normal.insert(0, fonts)  # rFonts comes first in w:rPr
    fonts.set(f"{{{W}}}eastAsia", "楷体")
    (root / "templates").mkdir()
    template.save(str(root / "templates" / "procedure.docx"))
    assert run_cli("build", str(root), "--format", "docx", "--only", "QP-04").exit_code == 0
    normal_xml = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', _docx_styles(root / "build" / "QP-04.docx"), re.S)
    assert 'w:eastAsia="楷体"' in normal_xml.group(0)
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "fonts: {body: 宋体}\n", encoding="utf-8")
    assert run_cli("build", str(root), "--format", "docx", "--only", "QP-04").exit_code == 0
    normal_xml = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', _docx_styles(root / "build" / "QP-04.docx"), re.S)
    assert 'w:eastAsia="宋体"' in normal_xml.group(0)


def test_a_font_that_maps_to_nothing_is_an_input_error(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    config = root / "dossier.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    config.write_text("\n".join([*lines, "fonts:", "  body: 方正小标宋不存在体"]) + "\n", encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert f"error: dossier.yaml:{len(lines) + 2}: fonts.body: font '方正小标宋不存在体' maps to no installed face" in result.output
    assert not (root / "build").exists()


def test_core_properties_hold_long_titles_within_words_limit() -> None:
    from datetime import datetime

    from dossier.word.package import CoreProperties, core_xml

    xml = etree.fromstring(core_xml(CoreProperties(title="无" * 300, when=datetime(2026, 1, 2))))
    title = xml.find("dc:title", CORE_NS).text
    assert len(title) == 255 and title.endswith("…")
    assert xml.find("dcterms:modified", CORE_NS).text == "2026-01-02T00:00:00Z"


def test_the_fontconfig_aliases_draw_office_fonts_with_installed_faces(tmp_path: Path) -> None:
    from dossier.fonts import write_fontconfig

    env = {"FONTCONFIG_FILE": str(write_fontconfig(tmp_path)), "PATH": "/usr/bin:/bin"}
    for name, face in (("宋体", "Noto Serif CJK SC"), ("SimHei", "Noto Sans CJK SC"), ("Times New Roman", "Liberation Serif")):
        found = subprocess.run(["fc-match", "-f", "%{family}", name], env=env, capture_output=True, text=True, check=True)
        assert face in found.stdout, (name, found.stdout)


def test_nothing_in_the_repository_reads_outside_it() -> None:
    repo = REPO
    listed = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True).stdout.split()
    pattern = re.compile(r"\.\./" + "shared")  # spelled apart: this file must not match
    offenders = [name for name in listed if name.endswith((".py", ".sh", ".toml", ".md", ".yaml", ".yml", ".cfg"))
                 and pattern.search((repo / name).read_text(encoding="utf-8", errors="replace"))]
    assert offenders == [], offenders
