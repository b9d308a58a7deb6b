"""Installation qualification: what is installed on this machine, and that it is what dossier needs.

Each check takes the run's Context, records evidence, returns a one-line summary and raises
CheckFailure (through `Evidence.require`) when the installation does not meet the requirement.
"""

from __future__ import annotations

import base64
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from dossier import __version__
from dossier.qualify.context import Context

VERSION_TIMEOUT = 60.0
CONVERT_TIMEOUT = 120.0
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;]*)(;.*)?$")


def version_tuple(text: str) -> tuple[int, ...]:
    """The leading numeric parts of a version (`8.1.7` → (8, 1, 7); `0.26.post1` → (0, 26))."""
    parts = []
    for piece in text.split("."):
        digits = re.match(r"\d+", piece)
        if not digits:
            break
        parts.append(int(digits.group()))
        if digits.group() != piece:
            break
    return tuple(parts)


def meets(installed: str, spec: str) -> bool:
    """Whether version `installed` meets `spec` (comma-separated >=, >, ==, <, <= clauses; others ignored)."""
    have = version_tuple(installed)
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        match = re.match(r"(>=|<=|==|>|<)\s*([\w.]+)", clause)
        if not match:
            continue
        op, want = match.group(1), version_tuple(match.group(2))
        width = max(len(have), len(want))
        a, b = have + (0,) * (width - len(have)), want + (0,) * (width - len(want))
        if not {">=": a >= b, "<=": a <= b, "==": a == b, ">": a > b, "<": a < b}[op]:
            return False
    return True


def _distribution() -> metadata.Distribution | None:
    try:
        return metadata.distribution("dossier")
    except metadata.PackageNotFoundError:
        return None


def package_files(package: Path) -> list[tuple[str, str]]:
    """(path relative to the package's parent, SHA-256) of every installed file of the package, sorted."""
    found = []
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        found.append((path.relative_to(package.parent).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()))
    return found


def _record_mismatches(dist: metadata.Distribution, package: Path) -> tuple[int, list[str]]:
    """Files RECORD lists with a hash: how many were compared, and those that differ or are missing."""
    compared, bad = 0, []
    for item in dist.files or []:
        if item.hash is None or item.hash.mode != "sha256" or not str(item).startswith("dossier/"):
            continue
        path = package.parent / str(item)
        compared += 1
        if not path.is_file():
            bad.append(f"{item}: missing")
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(path.read_bytes()).digest()).rstrip(b"=").decode()
        if digest != item.hash.value:
            bad.append(f"{item}: SHA-256 differs from the installation record")
    return compared, bad


def iq_installed_files(ctx: Context) -> str:
    """IQ-01: version, location, the SHA-256 of each installed file, checked against RECORD for a wheel."""
    import dossier

    package = Path(dossier.__file__).resolve().parent
    files = package_files(package)
    total = hashlib.sha256("".join(f"{name}\0{digest}\n" for name, digest in files).encode()).hexdigest()
    ctx.files["IQ-01-files.txt"] = "".join(f"{digest}  {name}\n" for name, digest in files)
    dist = _distribution()
    editable = bool(dist and (dist.read_text("direct_url.json") or "").find('"editable": true') >= 0)
    ctx.evidence.add(f"dossier {__version__} at {package}")
    ctx.evidence.add(f"{len(files)} installed files, SHA-256 over the list: {total} (each file: IQ-01-files.txt)")
    ctx.describe("dossier", f"{__version__}（{package}）")
    ctx.describe("安装文件", f"{len(files)} 个，文件清单 SHA-256 {total}")
    ctx.evidence.require(dist is not None, "dossier is not installed as a distribution (no package metadata)")
    if editable:
        ctx.evidence.add("editable install (pip install -e): files recorded, no installation record to compare with")
        return f"dossier {__version__}，{len(files)} 个文件已记录 SHA-256（开发安装，无安装记录可比对）"
    compared, bad = _record_mismatches(dist, package)
    for line in bad:
        ctx.evidence.add(line)
    ctx.evidence.require(not bad, f"{len(bad)} installed files differ from the installation record (RECORD)",
                         f"{compared} files match the installation record (RECORD)")
    return f"dossier {__version__}，{len(files)} 个文件，{compared} 个与安装记录一致"


def iq_python(ctx: Context) -> str:
    """IQ-02: the Python version against the package's Requires-Python."""
    dist = _distribution()
    required = (dist.metadata.get("Requires-Python") if dist else None) or ""
    version = platform.python_version()
    ctx.describe("Python", f"{version}（{sys.executable}）")
    ctx.describe("操作系统", f"{platform.system()} {platform.release()}（{platform.machine()}）")
    ctx.evidence.add(f"Python {version} at {sys.executable}; Requires-Python {required or '(none)'}")
    ctx.evidence.require(meets(version, required), f"Python {version} does not meet Requires-Python {required}", f"{version} meets {required}")
    return f"Python {version}（要求 {required}）"


def iq_dependencies(ctx: Context) -> str:
    """IQ-03: every dependency dossier declares (not the test extras) installed at its least version or later."""
    dist = _distribution()
    ctx.evidence.require(dist is not None, "dossier's package metadata is missing: its dependencies cannot be read")
    found, bad = [], []
    for line in dist.requires or []:
        match = _REQUIREMENT.match(line)
        if not match or (match.group(4) and "extra" in match.group(4)):
            continue
        name, spec = match.group(1), match.group(3).strip().strip("()")
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            bad.append(f"{name}: not installed (requires {spec or 'any version'})")
            continue
        ok = meets(installed, spec)
        found.append(f"{name} {installed}")
        ctx.evidence.add(f"{name} {installed} (requires {spec or 'any'}): {'ok' if ok else 'TOO OLD'}")
        if not ok:
            bad.append(f"{name} {installed} does not meet {spec}")
    ctx.describe("依赖库", "、".join(found))
    for line in bad:
        ctx.evidence.add(f"FAILED: {line}")
    ctx.evidence.require(not bad, "; ".join(bad))
    return f"{len(found)} 个依赖库均满足声明的版本"


def iq_libreoffice(ctx: Context) -> str:
    """IQ-04: soffice on PATH, and its version."""
    if ctx.converters:
        ctx.describe("LibreOffice", f"不在本机使用（转换服务器：{', '.join(ctx.converters)}）")
        ctx.evidence.add(f"conversion on servers {', '.join(ctx.converters)}: local LibreOffice not used")
        return "本机不转换：使用转换服务器"
    found = shutil.which("soffice") or shutil.which("libreoffice")
    ctx.evidence.add(f"PATH={os.environ.get('PATH', '')}")
    if not found:
        ctx.describe("LibreOffice", "未找到")
    ctx.evidence.require(found is not None, "LibreOffice not found: no soffice on PATH")
    with tempfile.TemporaryDirectory(prefix="dossier-iq-") as home:
        try:
            out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=VERSION_TIMEOUT,
                                 env={**os.environ, "HOME": home}, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            ctx.evidence.require(False, f"{found} --version failed: {exc}")
    version = out.stdout.strip().splitlines()[0] if out.stdout.strip() else ""
    ctx.evidence.add(f"$ {found} --version -> exit {out.returncode}: {version}")
    ctx.evidence.require(out.returncode == 0 and version.startswith(("LibreOffice", "Collabora", "OpenOffice")),
                         f"{found} --version gave no LibreOffice version (exit {out.returncode})")
    ctx.describe("LibreOffice", f"{version}（{found}）")
    return version


def iq_fonts(ctx: Context) -> str:
    """IQ-05: every face the workspace uses is drawn with a font fontconfig has installed."""
    from dossier.fonts import catalogue, installed_families

    ctx.evidence.require(shutil.which("fc-list") is not None, "fc-list not found: fontconfig is not installed")
    families = installed_families()
    shown, bad = [], []
    for face in ctx.faces:
        entry = catalogue().get(face)
        drawn = entry.render if entry else face
        ok = drawn in families
        shown.append(f"{face} → {drawn}")
        ctx.evidence.add(f"{face} drawn with {drawn}: {'installed' if ok else 'NOT INSTALLED'}")
        if not ok:
            bad.append(f"{face} needs {drawn}, which is not installed")
    ctx.describe("字体", "；".join(shown))
    ctx.evidence.require(not bad, "; ".join(bad))
    return f"{len(ctx.faces)} 种字体均已安装"


def iq_converter(ctx: Context) -> str:
    """IQ-06: the converter (local LibreOffice or the servers) turns a one-page test file into a PDF."""
    from pypdf import PdfReader

    from dossier.convert import convert_batch
    from dossier.errors import DossierError
    from dossier.word.blocks import base_document
    from dossier.word.document import docx_bytes

    doc = base_document()
    doc.add_paragraph("dossier 转换测试 IQ-06")
    folder = ctx.scratch / "iq-convert"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "iq-06.docx"
    source.write_bytes(docx_bytes(doc))
    where = ", ".join(ctx.converters) or "local LibreOffice"
    ctx.describe("文档转换器", where)
    started = time.monotonic()
    try:
        pdf = convert_batch([source], folder / "pdf", timeout=CONVERT_TIMEOUT, converters=ctx.converters or None)[source]
    except DossierError as exc:
        ctx.evidence.require(False, f"conversion on {where} failed: {' '.join(exc.lines())}")
    data = pdf.read_bytes()
    seconds = time.monotonic() - started
    text = PdfReader(pdf).pages[0].extract_text() if data.startswith(b"%PDF") else ""
    ctx.evidence.add(f"converted on {where} in {seconds:.1f} s: {len(data)} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}")
    ctx.evidence.require("转换测试" in text, "the converted PDF does not hold the test text", "the PDF holds the test text")
    return f"{where} 在 {seconds:.1f} s 内生成 PDF"


CHECKS: dict[str, Callable[[Context], str]] = {
    "IQ-01": iq_installed_files,
    "IQ-02": iq_python,
    "IQ-03": iq_dependencies,
    "IQ-04": iq_libreoffice,
    "IQ-05": iq_fonts,
    "IQ-06": iq_converter,
}
