"""Shared material of the signing tests, made once per test process.

- `approval_pdf()`: a two-page procedure like the templates make (approval block 编制/审核/批准
  over a 签名 row, then a revision history that also names 编制 and 批准), converted by
  LibreOffice once and normalised by pypdf like the build pipeline does.
- `authority()`: a throwaway CA with the signers of the tests, and a second, unrelated CA.
- `write_keys(dir)`: their key files (outside any workspace), passphrases in files.
- `signed_twice()`: the approval PDF signed by the author (PKCS#12) and the approver (PEM).
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from dossier.convert import convert_batch
from dossier.pdf.normalise import normalise_pdf
from dossier.signing.profiles import SigningProfile, Source
from dossier.signing.sign import sign_pdf
from tests.pki import Identity, ThrowawayCA

FIXED_TIME = datetime(2025, 3, 1, 8, 30, tzinfo=timezone.utc)
AUTHOR_PASS = "author-pass-7"
APPROVER_PASS = "approver-pass-9"
SEAL_PASS = "seal-pass-3"


@dataclass(frozen=True)
class Authority:
    """The CA of the tests, its subjects, and a CA nobody trusts."""

    ca: ThrowawayCA
    author: Identity
    approver: Identity
    seal: Identity
    tsa: Identity
    other_ca: ThrowawayCA


@dataclass(frozen=True)
class KeyFiles:
    """Paths of the key material written by `write_keys`."""

    author_p12: Path
    author_pass: Path
    approver_key: Path
    approver_cert: Path
    approver_pass: Path
    seal_p12: Path
    seal_pass: Path
    ca_cert: Path
    other_ca_cert: Path


@functools.cache
def authority() -> Authority:
    """The test PKI (generated once per process)."""
    ca = ThrowawayCA()
    return Authority(ca=ca, author=ca.issue("张三"), approver=ca.issue("王五"),
                     seal=ca.issue("示例医疗科技有限公司"), tsa=ca.issue("测试时间戳服务", timestamping=True),
                     other_ca=ThrowawayCA("Unrelated Root CA"))


def write_keys(directory: Path) -> KeyFiles:
    """Write every key, certificate and passphrase file into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    pki = authority()
    files = KeyFiles(
        author_p12=directory / "author.p12", author_pass=directory / "author.pass",
        approver_key=directory / "approver.key", approver_cert=directory / "approver.crt",
        approver_pass=directory / "approver.pass", seal_p12=directory / "seal.p12",
        seal_pass=directory / "seal.pass", ca_cert=directory / "ca.pem",
        other_ca_cert=directory / "other-ca.pem")
    pki.author.write_pkcs12(files.author_p12, AUTHOR_PASS)
    files.author_pass.write_text(AUTHOR_PASS + "\n")
    pki.approver.write_pem(files.approver_key, files.approver_cert, APPROVER_PASS)
    files.approver_pass.write_text(APPROVER_PASS)
    pki.seal.write_pkcs12(files.seal_p12, SEAL_PASS)
    files.seal_pass.write_text(SEAL_PASS)
    pki.ca.write_cert(files.ca_cert)
    pki.other_ca.write_cert(files.other_ca_cert)
    return files


def profile(name: str, role: str, key: Source, key_format: str, workspace: Path, *,
            cert: Source | None = None, passphrase: Source | None = None, visible: bool = True,
            position: str = "approval", tsa_url: str | None = None) -> SigningProfile:
    """A SigningProfile built directly (the YAML route is tested on its own)."""
    return SigningProfile(name=name, role=role, key=key, key_format=key_format, cert=cert,
                          passphrase=passphrase, visible=visible, position=position,
                          tsa_url=tsa_url, font=None, workspace=workspace)


def author_profile(keys: KeyFiles, workspace: Path, **options) -> SigningProfile:
    """编制 with the author's PKCS#12 file."""
    return profile("author", "编制", Source("file", str(keys.author_p12)), "pkcs12", workspace,
                   passphrase=Source("file", str(keys.author_pass)), **options)


def approver_profile(keys: KeyFiles, workspace: Path, **options) -> SigningProfile:
    """批准 with the approver's PEM key and certificate."""
    return profile("approver", "批准", Source("file", str(keys.approver_key)), "pem", workspace,
                   cert=Source("file", str(keys.approver_cert)),
                   passphrase=Source("file", str(keys.approver_pass)), **options)


@functools.cache
def _material() -> tuple[bytes, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        docx = _procedure_docx(base / "QP-04.docx")
        pdf = convert_batch([docx], base / "pdf")[docx]
        unsigned = normalise_pdf(pdf.read_bytes(), FIXED_TIME, title="文件控制程序")
        keys = write_keys(base / "keys")
        workspace = base / "ws"
        once = sign_pdf(unsigned, author_profile(keys, workspace), when=FIXED_TIME)
        twice = sign_pdf(once, approver_profile(keys, workspace), when=FIXED_TIME)
    return unsigned, twice


def approval_pdf() -> bytes:
    """The unsigned two-page procedure PDF."""
    return _material()[0]


def signed_twice() -> bytes:
    """The procedure signed by 编制 张三 and then 批准 王五, both visible."""
    return _material()[1]


def _procedure_docx(path: Path) -> Path:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Serif CJK SC"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    doc.add_paragraph("文件控制程序")
    doc.add_paragraph("本程序规定文件的编制、审核、批准、发放和回收。文件经批准后生效。")
    approval = doc.add_table(rows=3, cols=4)
    approval.style = "Table Grid"
    rows = [["", "编制", "审核", "批准"], ["签名", "张三", "李四", "王五"],
            ["日期", "2025-02-20", "2025-02-24", "2025-02-27"]]
    _fill(approval, rows)
    doc.add_paragraph("修订记录")
    history = doc.add_table(rows=2, cols=5)
    history.style = "Table Grid"
    _fill(history, [["版本", "生效日期", "修订内容", "编制", "批准"],
                    ["A", "2025-03-01", "首次发布", "张三", "王五"]])
    doc.add_page_break()
    doc.add_paragraph("第二页：文件的发放与回收。")
    doc.save(path)
    return path


def _fill(table, rows: list[list[str]]) -> None:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text


@functools.cache
def blank_signed_twice(base: str) -> tuple[bytes, bytes, KeyFiles]:
    """A one-page PDF made without LibreOffice (its title shown in the viewer's title bar) signed by
    编制 张三 and then 批准 王五, invisibly: (signed once, signed twice, the key files under `base`)."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject

    keys = write_keys(Path(base) / "keys")
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "文件控制程序", "/Author": "张三"})
    writer._root_object[NameObject("/ViewerPreferences")] = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    buffer = io.BytesIO()
    writer.write(buffer)
    once = sign_pdf(buffer.getvalue(), author_profile(keys, Path(base) / "ws", visible=False), when=FIXED_TIME)
    twice = sign_pdf(once, approver_profile(keys, Path(base) / "ws", visible=False), when=FIXED_TIME)
    return once, twice, keys
