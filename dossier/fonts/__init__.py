"""Fonts as Chinese offices have them: the faces a .docx names, and what LibreOffice draws them with.

A .docx names the faces Word and WPS on Chinese Windows have (宋体 body, 黑体 headings, Times New
Roman for Latin text; `fonts.yaml` lists them with their fontTable.xml entries). LibreOffice on
the build machine has none of them, so conversion runs with a fontconfig file that aliases each
to an installed face: 宋体 → Noto Serif CJK SC, 黑体 → Noto Sans CJK SC, Times New Roman →
Liberation Serif (metric-compatible, so Word and the PDF break Latin text alike). PDFs therefore
embed real CJK glyphs, never boxes.

`python -m dossier.fonts --fontconfig` prints the aliases as a fragment for
/etc/fonts/conf.d/, where a converter server (unoserver) runs; scripts/setup.sh installs it.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass, fields, replace
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

CATALOGUE = Path(__file__).with_name("fonts.yaml")
ROLES = ("body", "heading", "latin")  # the faces a workspace chooses in `fonts:`


@dataclass(frozen=True)
class Face:
    """One face of the catalogue: its Word name, other names and fontTable.xml entry."""

    name: str
    alt: tuple[str, ...]
    script: str  # "cjk" or "latin"
    panose: str
    charset: str
    family: str
    pitch: str
    sig: tuple[str, ...]  # usb0 usb1 usb2 usb3 csb0 csb1
    render: str  # installed face LibreOffice draws it with


@dataclass(frozen=True)
class FontSet:
    """The faces one document is set in: East Asian body and heading text, Latin text, code, symbols."""

    body: str
    heading: str
    latin: str
    code: str = "Courier New"
    symbol: str = "Segoe UI Symbol"

    def merged(self, overrides: dict[str, str]) -> "FontSet":
        """This set with some roles replaced (keys of `overrides` are role names)."""
        return replace(self, **{k: v for k, v in overrides.items() if k in {f.name for f in fields(self)}})


@functools.cache
def catalogue() -> dict[str, Face]:
    """Every known face by its Word name and by each of its other names."""
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    faces: dict[str, Face] = {}
    for raw in data["faces"]:
        face = Face(raw["name"], tuple(raw["alt"]), raw["script"], raw["panose"], raw["charset"], raw["family"],
                    raw["pitch"], tuple(raw["sig"]), raw["render"])
        for name in (face.name, *face.alt):
            faces[name] = face
    return faces


@functools.cache
def default_fonts() -> FontSet:
    """宋体 / 黑体 / Times New Roman (see fonts.yaml `defaults`)."""
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return FontSet(**data["defaults"])


def word_name(name: str) -> str:
    """The name a .docx uses for `name` (SimSun → 宋体); unknown faces keep their own name."""
    face = catalogue().get(name)
    return face.name if face else name


@functools.cache
def installed_families() -> frozenset[str]:
    """Family names fontconfig knows on this machine (empty when fc-list is missing)."""
    if not shutil.which("fc-list"):
        return frozenset()
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def font_problem(name: str) -> str | None:
    """Why `name` cannot be used as a document font (None when it can).

    A face must be known to the catalogue (it is then drawn with its alias) or installed, else
    LibreOffice would substitute an arbitrary face and the PDF would differ from the .docx.
    """
    if not name.strip():
        return "expected a font name"
    if name in catalogue() or name in installed_families():
        return None
    known = sorted({face.name for face in catalogue().values()})
    return f"font {name!r} maps to no installed face (known: {', '.join(known)}; or install it for fontconfig)"


def fontconfig_xml(include_system: bool = True) -> str:
    """A fontconfig file with an alias per catalogue name.

    With `include_system` it is a whole configuration (the system's plus the aliases) for
    FONTCONFIG_FILE; without, a fragment for /etc/fonts/conf.d/.
    """
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', "<fontconfig>"]
    if include_system:
        lines.append('  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>')
    for name, face in sorted(catalogue().items()):
        lines.append(f'  <alias binding="same"><family>{escape(name)}</family>'
                     f"<prefer><family>{escape(face.render)}</family></prefer></alias>")
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def write_fontconfig(directory: Path) -> Path:
    """Write fonts.conf for a converter process into `directory` (unchanged files are not rewritten)."""
    path = directory / "fonts.conf"
    text = fontconfig_xml()
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        directory.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path
