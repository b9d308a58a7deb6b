"""Files a build embeds are checked first, and every user path stays inside its folder (issue 14 #3, #4)."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import run_cli
from tests.hostile_support import edit, errors, new_workspace, with_product

PRODUCT = "content/disinfectant/skin-ethanol/product.yaml"


def png_header(width: int, height: int) -> bytes:
    """A PNG that declares `width` × `height` pixels in a few bytes (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def _check_and_build(root: Path) -> list[str]:
    """The errors of check; build gives the same ones and writes nothing."""
    checked = run_cli("check", str(root))
    assert checked.exit_code == 2, checked.output
    built = run_cli("build", str(root))
    assert built.exit_code == 2, built.output
    assert errors(built) == errors(checked)
    assert not (root / "build").exists()
    assert "Traceback" not in checked.output + built.output
    return errors(checked)


BOMB = "20000 × 20000 pixels, more than the limit of 50 million (scan at 300 dpi, or reduce it)"
FAKE_PNG = "not a readable PNG image (damaged, truncated or another kind of file)"
FAKE_PDF = "not a readable PDF (damaged, truncated or another kind of file)"


@pytest.mark.parametrize(("target", "content", "line", "field", "message"), [
    ("seal.png", png_header(20000, 20000), 120, "filing.seal", f"../seal.png: {BOMB}"),
    ("seal.png", b"just text, named .png\n", 120, "filing.seal", f"../seal.png: {FAKE_PNG}"),
    ("skin-ethanol/materials/standard.pdf", b"just text, named .pdf\n", 116, "materials.standard[1]", f"materials/standard.pdf: {FAKE_PDF}"),
    ("skin-ethanol/materials/label.png", png_header(20000, 20000), 114, "materials.label_manual[1]", f"materials/label.png: {BOMB}"),
    ("skin-ethanol/materials/licence.png", "jpeg", 117, "materials.hygiene_licence[1]",
     "materials/licence.png: a JPEG file, not PNG as its name says"),
    ("skin-ethanol/materials/manual.png", "truncated", 114, "materials.label_manual[2]", f"materials/manual.png: {FAKE_PNG}"),
])
def test_seal_and_material_files_are_checked(tmp_path: Path, target: str, content, line: int, field: str, message: str) -> None:
    root = new_workspace(tmp_path)
    with_product(root)
    path = root / "content" / "disinfectant" / target
    if content == "jpeg":
        Image.new("RGB", (40, 30), "red").save(path, "JPEG")
    elif content == "truncated":
        path.write_bytes(path.read_bytes()[:2000])
    else:
        path.write_bytes(content)
    assert _check_and_build(root) == [f"error: {PRODUCT}:{line}: {field}: {message}"]


@pytest.mark.parametrize(("content", "message"), [
    (png_header(20000, 20000), BOMB),
    (b"GIF89a but not really", "not a readable PNG image (damaged, truncated or another kind of file)"),
])
def test_body_images_are_checked(tmp_path: Path, content: bytes, message: str) -> None:
    root = new_workspace(tmp_path)
    (root / "content" / "bad.png").write_bytes(content)
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n![图](bad.png)\n", encoding="utf-8")
    line = len(body.read_text(encoding="utf-8").splitlines())
    assert _check_and_build(root) == [f"error: content/QP-01.md:{line}: body: image bad.png: {message}"]


def _outside(tmp_path: Path, exists: bool) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    if exists:
        Image.new("RGB", (20, 20), "blue").save(outside / "secret.png")
        (outside / "secret.md").write_text("# 机密\n", encoding="utf-8")
    return outside


@pytest.mark.parametrize("exists", [True, False])
def test_body_image_outside_content_same_message_whether_it_exists(tmp_path: Path, exists: bool) -> None:
    root = new_workspace(tmp_path / "ws")
    _outside(tmp_path, exists)
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n![图](../../outside/secret.png)\n", encoding="utf-8")
    line = len(body.read_text(encoding="utf-8").splitlines())
    assert _check_and_build(root) == [
        f"error: content/QP-01.md:{line}: body: image ../../outside/secret.png: not inside content/ "
        "(only files in that folder can be used; links out of it count as outside)"]


@pytest.mark.parametrize("exists", [True, False])
def test_symlinked_image_out_of_content_is_outside(tmp_path: Path, exists: bool) -> None:
    root = new_workspace(tmp_path / "ws")
    outside = _outside(tmp_path, exists)
    os.symlink(outside / "secret.png", root / "content" / "images-link.png")
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n![图](images-link.png)\n", encoding="utf-8")
    line = len(body.read_text(encoding="utf-8").splitlines())
    found = _check_and_build(root)
    assert f"error: content/QP-01.md:{line}: body: image images-link.png: not inside content/ " \
           "(only files in that folder can be used; links out of it count as outside)" in found
    assert "error: content/images-link.png: images-link.png: not inside content/ " \
           "(only files in that folder can be used; links out of it count as outside)" in found
    assert len(found) == 2


@pytest.mark.parametrize("exists", [True, False])
def test_material_and_seal_outside_content(tmp_path: Path, exists: bool) -> None:
    root = new_workspace(tmp_path / "ws")
    outside = _outside(tmp_path, exists)
    product = with_product(root)
    edit(product, "standard: [materials/standard.pdf]", f"standard: [{outside / 'secret.png'}]")
    edit(product, "seal: ../seal.png", "seal: ../../../../outside/secret.png")
    assert _check_and_build(root) == [
        f"error: {PRODUCT}:116: materials.standard[1]: {outside / 'secret.png'}: not inside content/ "
        "(only files in that folder can be used; links out of it count as outside)",
        f"error: {PRODUCT}:120: filing.seal: ../../../../outside/secret.png: not inside content/ "
        "(only files in that folder can be used; links out of it count as outside)"]


@pytest.mark.parametrize("exists", [True, False])
def test_body_file_outside_content(tmp_path: Path, exists: bool) -> None:
    root = new_workspace(tmp_path / "ws")
    _outside(tmp_path, exists)
    (root / "content" / "QP-01.md").unlink()
    edit(root / "content" / "QP-01.yaml", "change: 首次发布", "change: 首次发布\nbody_file: ../../outside/secret.md")
    assert _check_and_build(root) == [
        "error: content/QP-01.yaml:11: body_file: ../../outside/secret.md: not inside content/ "
        "(only files in that folder can be used; links out of it count as outside)"]


def test_template_linked_out_of_the_workspace(tmp_path: Path) -> None:
    root = new_workspace(tmp_path / "ws")
    (root / "templates").mkdir()
    os.symlink(tmp_path / "elsewhere.docx", root / "templates" / "procedure.docx")
    assert _check_and_build(root) == [
        "error: templates/procedure.docx: template: procedure.docx: not inside templates/ "
        "(only files in that folder can be used; links out of it count as outside)"]


@pytest.mark.parametrize(("key", "value"), [("build", "/tmp/dossier-out"), ("ledger", "../ledger.jsonl"),
                                            ("content", "."), ("releases", "../../etc")])
def test_paths_settings_stay_inside_the_workspace(tmp_path: Path, key: str, value: str) -> None:
    root = new_workspace(tmp_path)
    config = root / "dossier.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"paths:\n  {key}: {value}\n", encoding="utf-8")
    line = len(config.read_text(encoding="utf-8").splitlines())
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert f"error: dossier.yaml:{line}: paths.{key}: {value}: expected a path inside the workspace " \
           "(relative to dossier.yaml, not the workspace itself)" in errors(result)
