"""Workspace templates are untrusted (issue 14 #2, #8): sandboxed, reported by check, values come out literally."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from jinja2.exceptions import SecurityError

from dossier.word.templates import PACKAGE_TEMPLATES
from dossier.word.templating import ENVIRONMENT
from tests.conftest import run_cli
from tests.hostile_support import edit, errors, new_workspace

PAYLOAD = "lipsum.__globals__['os'].popen('touch pwned').read()"
CORE_TITLE = "<dc:title>{{ cycler.__init__.__globals__.os.environ }}</dc:title>"


def _template(root: Path, part: str, old: str, new: str) -> Path:
    """templates/procedure.docx: the default one with `old` replaced by `new` in `part`."""
    source = PACKAGE_TEMPLATES / "procedure.docx"
    out = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == part:
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new, 1).encode("utf-8")
            zout.writestr(item, data)
    target = root / "templates" / "procedure.docx"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(out.getvalue())
    return target


@pytest.mark.parametrize(("part", "old", "new", "expression"), [
    ("word/document.xml", "{{ doc.title }}", "{{ doc.title }}{{ " + PAYLOAD + " }}", PAYLOAD),
    ("word/header1.xml", "{{ doc.title }}", "{{ doc.title }}{{ " + PAYLOAD + " }}", PAYLOAD),
    ("word/document.xml", "{{ doc.title }}", "{{ doc.title }}{% if ''|attr('__class__') %}x{% endif %}", "''|attr('__class__')"),
    ("docProps/core.xml", "<cp:lastModifiedBy>", CORE_TITLE + "<cp:lastModifiedBy>", "cycler.__init__.__globals__.os.environ"),
])
def test_check_names_the_part_and_the_unsafe_expression(tmp_path: Path, part: str, old: str, new: str, expression: str, monkeypatch) -> None:
    root = new_workspace(tmp_path / "ws")
    _template(root, part, old, new)
    monkeypatch.chdir(tmp_path)
    shown_part = "docProps/core.xml (title)" if part.startswith("docProps") else part
    for command in ("check", "build"):
        result = run_cli(command, str(root))
        assert result.exit_code == 2, result.output
        assert errors(result) == [
            f"error: templates/procedure.docx: template: {shown_part}: unsafe expression {{{{ {expression} }}}}: templates may "
            "read the document's fields only, not Python internals (names starting with _)"]
    assert not (tmp_path / "pwned").exists() and not (root / "pwned").exists()
    assert not (root / "build").exists()


def test_the_sandbox_refuses_internals_at_render_time() -> None:
    for source in ("{{ x.__class__.__mro__ }}", "{{ 'a' * 10000000 }}", "{{ 9 ** 9999 }}"):
        with pytest.raises(SecurityError):
            ENVIRONMENT.from_string(source).render(x="")
    for source in ("{{ x|attr('__class__') }}", "{{ x.__class__ }}"):
        assert ENVIRONMENT.from_string(source).render(x="") == ""  # the sandbox gives nothing
    assert ENVIRONMENT.globals == {}


def test_default_templates_are_safe(tmp_path: Path) -> None:
    from dossier.word.template_check import template_parts, unsafe_expressions

    for path in sorted(PACKAGE_TEMPLATES.glob("*.docx")):
        parts = dict(template_parts(path))
        assert "word/document.xml" in parts and any(p.startswith("word/header") for p in parts)
        assert all(unsafe_expressions(source) == [] for source in parts.values()), path.name


def test_values_come_out_literally(tmp_path: Path) -> None:
    root = new_workspace(tmp_path)
    literal = "a {_{ b }_} c {{ d }} {% e %} {_% f %_} &<>"
    edit(root / "content" / "QP-01.yaml", "title: 文件控制程序", f"title: '{literal}'")
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n正文 {\\_{ b }\\_} {{ d }} {% e %} &<>\n", encoding="utf-8")
    result = run_cli("build", str(root), "--format", "docx", "--only", "QP-01")
    assert result.exit_code == 0, result.output
    document = Document(root / "build" / "QP-01.docx")
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    header = "".join(p.text for section in document.sections for p in section.header.paragraphs)
    header += "".join(c.text for section in document.sections for t in section.header.tables for r in t.rows for c in r.cells)
    assert "正文 {_{ b }_} {{ d }} {% e %} &<>" in texts  # Markdown escapes keep the underscores
    assert literal in texts and literal in header
