"""Signing and verifying: placement, appearance, several signatures, tampering, trust, B-T."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.timestamps import DummyTimeStamper
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from dossier.errors import ToolError, UsageError
from dossier.signing.placement import Placement, place
from dossier.signing.profiles import Source
from dossier.signing.sign import sign_file, sign_pdf
from dossier.signing.verify import PdfCheck, load_trust_roots, verify_pdf
from tests.signing_support import (
    FIXED_TIME,
    approval_pdf,
    approver_profile,
    author_profile,
    authority,
    profile,
    signed_twice,
    write_keys,
)

pytestmark = pytest.mark.libreoffice


@pytest.fixture()
def keys(tmp_path):
    return write_keys(tmp_path / "keys")


@pytest.fixture()
def trusted(keys):
    return load_trust_roots([keys.ca_cert])


def _verify(data: bytes, tmp_path: Path, roots) -> PdfCheck:
    path = tmp_path / "QP-04.pdf"
    path.write_bytes(data)
    return verify_pdf(path, roots, display="QP-04.pdf")


def _label_positions(data: bytes, page: int = 0) -> dict[str, list[tuple[float, float]]]:
    found: dict[str, list[tuple[float, float]]] = {}

    def visit(text, cm, tm, _font, _size):
        found.setdefault(text.strip(), []).append((tm[4], tm[5]))

    PdfReader(io.BytesIO(data)).pages[page].extract_text(visitor_text=visit)
    return found


def _widgets(data: bytes) -> dict[str, tuple[int, list[float]]]:
    """Signature field name -> (page index, rect) of every widget."""
    reader = PdfReader(io.BytesIO(data))
    result = {}
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig":
                result[str(annot["/T"])] = (index, [float(v) for v in annot["/Rect"]])
    return result


def test_two_signatures_each_valid_with_signer_role_time_and_coverage(tmp_path, trusted):
    check = _verify(signed_twice(), tmp_path, trusted)
    assert check.ok, check.failure_lines()
    author, approver = check.signatures
    assert (author.field, author.role, author.signer) == ("author", "编制", "张三")
    assert (approver.field, approver.role, approver.signer) == ("approver", "批准", "王五")
    for sig in check.signatures:
        assert (sig.intact, sig.valid, sig.trusted, sig.timestamped) == (True, True, True, False)
        assert datetime.fromisoformat(sig.signing_time) == FIXED_TIME
    assert author.coverage == "its revision; later revisions only add signatures"
    assert approver.coverage == "the entire file"
    assert check.summary_lines()[0] == (
        "QP-04.pdf: signature author (编制, 张三): ok, signed 2025-03-01T16:30:00+08:00, "
        "covers its revision; later revisions only add signatures")
    # PAdES: ETSI.CAdES.detached sub-filter, role as /Reason, each an incremental update
    data = signed_twice()
    assert data.count(b"/ETSI.CAdES.detached") == 2
    assert data.startswith(approval_pdf())


def test_visible_signatures_sit_in_the_signature_cells_of_the_approval_block():
    data = signed_twice()
    labels = _label_positions(approval_pdf())
    widgets = _widgets(data)
    for field, role in (("author", "编制"), ("approver", "批准")):
        page, (x1, y1, x2, y2) = widgets[field]
        (label_x, label_y), (history_x, history_y) = labels[role]  # approval block, then history
        sign_row_y = labels["签名"][0][1]
        date_row_y = labels["日期"][0][1]
        assert page == 0
        assert x1 <= label_x < x2, (field, x1, label_x, x2)  # the label's column
        assert date_row_y < y1 < sign_row_y < y2 < label_y  # the 签名 row, under the label
        assert y1 > history_y  # not in the revision history table


def test_appearance_embeds_a_cjk_font_subset_with_the_names():
    reader = PdfReader(io.BytesIO(signed_twice()))
    texts = {}
    for annot in reader.pages[0]["/Annots"]:
        annot = annot.get_object()
        appearance = annot["/AP"]["/N"].get_object()
        collected = []

        def fonts(xobject):
            resources = xobject.get("/Resources", {})
            for font in resources.get("/Font", {}).values():
                yield font.get_object()
            for inner in resources.get("/XObject", {}).values():
                yield from fonts(inner.get_object())

        for font in fonts(appearance):
            descendant = font["/DescendantFonts"][0].get_object()
            assert "NotoSansCJK" in descendant["/BaseFont"]
            assert "/FontFile3" in descendant["/FontDescriptor"]  # embedded OpenType (CFF)
            collected.append(font["/ToUnicode"].get_object().get_data().decode("latin-1"))
        texts[str(annot["/T"])] = "".join(collected).upper()
    # 编制 张三 / 批准 王五 are mapped back to Unicode by the embedded font's CMap
    for field, chars in (("author", "编制张三"), ("approver", "批准王五")):
        for char in chars:
            assert f"{ord(char):04X}" in texts[field], (field, char)


def test_placement_positions(tmp_path):
    unsigned = approval_pdf()
    assert place(unsigned, "approval", "会签").page == 1  # no such label: last page
    seal = place(unsigned, "first-page", "公司电子印章")
    assert seal.page == 0
    x1, y1, x2, y2 = seal.box
    assert (x2 - x1, y2 - y1) == (120.0, 120.0) and x2 <= 612 and y1 >= 72


def _one_page_pdf(content: bytes) -> bytes:
    """An A4 page with `content`, Helvetica as /F1."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = DecodedStreamObject()
    stream.set_data(content)
    page.replace_contents(stream)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


LABEL = b"BT /F1 10 Tf 110 612 Td (Prepared:) Tj ET"
# a ruled two-column row "Prepared:" | (empty signature cell), drawn under a scaled CTM
RULED_ROW = (b"q 2 0 0 2 0 0 cm 0.5 w 50 300 m 250 300 l S 50 320 m 250 320 l S "
             b"50 300 m 50 320 l S 120 300 m 120 320 l S 250 300 m 250 320 l S Q ")


def test_placement_right_of_a_label_in_a_ruled_cell():
    where = place(_one_page_pdf(RULED_ROW + LABEL), "approval", "Prepared")
    assert where == Placement(0, (241.0, 601.0, 499.0, 639.0))  # the cell, inset 1pt


def test_placement_beside_a_label_without_ruling():
    where = place(_one_page_pdf(LABEL), "approval", "Prepared")
    # right of the label's estimated end (9 glyphs at ~0.55 em), centred on it, 150 x 45
    assert where == Placement(0, (167.5, 593.0, 317.5, 638.0))


def test_a_flipped_byte_fails_every_signature_it_touches(tmp_path, trusted):
    data = bytearray(signed_twice())
    unsigned_length = len(approval_pdf())
    stream = next(m.end() for m in re.finditer(rb"stream\r?\n", data)
                  if data.find(b"endstream", m.end()) - m.end() > 200 and m.end() < unsigned_length)
    data[stream + 100] ^= 0x01
    check = _verify(bytes(data), tmp_path, trusted)
    assert not check.ok
    assert check.failure_lines() == [
        "QP-04.pdf: signature author (编制, 张三): the signed bytes were changed (digest mismatch)",
        "QP-04.pdf: signature approver (批准, 王五): the signed bytes were changed (digest mismatch)",
    ]


def test_an_incremental_update_changing_a_page_fails(tmp_path, trusted):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed_twice()))
    forged = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (VOID) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(forged))
    out = io.BytesIO()
    writer.write(out)
    check = _verify(out.getvalue(), tmp_path, trusted)
    assert not check.ok
    lines = check.failure_lines()
    assert len(lines) == 2
    for line, label in zip(lines, ("author (编制, 张三)", "approver (批准, 王五)")):
        assert line.startswith(f"QP-04.pdf: signature {label}: a later revision changes the "
                               "document (modification level OTHER"), line
    assert check.signatures[0].intact and check.signatures[1].intact  # intact, yet not covering


def test_bytes_appended_after_signing_fail(tmp_path, trusted):
    check = _verify(signed_twice() + b"\n% appended later\n", tmp_path, trusted)
    assert check.failure_lines() == [
        "QP-04.pdf: signature approver (批准, 王五): bytes were appended after signing "
        "(not covered by any signature)"]


def test_untrusted_signer_fails_unless_its_root_is_trusted(tmp_path, keys):
    data = signed_twice()
    for roots, hint in (([], "; give its root certificate with --trust"),
                        (load_trust_roots([keys.other_ca_cert]), "")):
        check = _verify(data, tmp_path, roots)
        lines = check.failure_lines()
        assert len(lines) == 2
        assert lines[0].startswith("QP-04.pdf: signature author (编制, 张三): signer 张三 is not "
                                   "trusted (")
        assert lines[0].endswith(hint)
    assert _verify(data, tmp_path, load_trust_roots([keys.other_ca_cert, keys.ca_cert])).ok


def test_unsigned_and_unreadable_files(tmp_path, trusted):
    assert _verify(approval_pdf(), tmp_path, trusted).failure_lines() == [
        "QP-04.pdf: no signatures"]
    broken = _verify(b"%PDF-1.7\nthis is not a PDF", tmp_path, trusted)
    assert len(broken.failure_lines()) == 1
    assert broken.failure_lines()[0].startswith("QP-04.pdf: not a readable PDF (")


def test_sign_file_replaces_atomically_and_returns_both_hashes(tmp_path, keys):
    path = tmp_path / "out" / "QP-04.pdf"
    path.parent.mkdir()
    path.write_bytes(approval_pdf())
    result = sign_file(path, author_profile(keys, tmp_path / "ws", visible=False),
                       when=FIXED_TIME)
    signed = path.read_bytes()
    assert result.unsigned_sha256 == hashlib.sha256(approval_pdf()).hexdigest()
    assert result.signed_sha256 == hashlib.sha256(signed).hexdigest()
    assert signed.startswith(approval_pdf()) and signed != approval_pdf()
    assert sorted(p.name for p in path.parent.iterdir()) == ["QP-04.pdf"]
    assert _widgets(signed)["author"][1] == [0.0, 0.0, 0.0, 0.0]  # invisible


def test_signing_twice_with_one_profile_or_a_non_pdf_is_refused(keys, tmp_path):
    author = author_profile(keys, tmp_path / "ws", visible=False)
    with pytest.raises(UsageError, match="^PDF: already signed with profile author$"):
        sign_pdf(signed_twice(), author)
    with pytest.raises(UsageError, match="^PDF: not a readable PDF"):
        sign_pdf(b"plain text", author)


class _TimestampAuthority(BaseHTTPRequestHandler):
    """RFC 3161 over HTTP, answered by pyHanko's DummyTimeStamper."""

    stamper: DummyTimeStamper

    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        body = self.stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        return


@pytest.fixture()
def tsa_url():
    pki = authority()
    tsa_time = datetime(2025, 3, 2, 9, 0, tzinfo=timezone.utc)
    _TimestampAuthority.stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(
            pki.tsa.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(pki.tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())),
        certs_to_embed=[asn1_x509.Certificate.load(
            pki.ca.cert.public_bytes(serialization.Encoding.DER))],
        fixed_dt=tsa_time)
    server = HTTPServer(("127.0.0.1", 0), _TimestampAuthority)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/tsr", tsa_time
    server.shutdown()
    server.server_close()


def test_timestamp_authority_gives_pades_b_t(tmp_path, keys, trusted, tsa_url):
    url, tsa_time = tsa_url
    signed = sign_pdf(approval_pdf(), author_profile(keys, tmp_path / "ws", visible=False, tsa_url=url),
                      when=FIXED_TIME)
    check = _verify(signed, tmp_path, trusted)
    assert check.ok, check.failure_lines()
    (sig,) = check.signatures
    assert sig.timestamped
    assert sig.signing_time == tsa_time.isoformat()  # the TSA's time, not the claimed one


def test_unreachable_timestamp_authority_is_a_tool_failure(tmp_path, keys):
    probe = HTTPServer(("127.0.0.1", 0), _TimestampAuthority)
    port = probe.server_port
    probe.server_close()  # nothing listens on this port any more
    url = f"http://127.0.0.1:{port}/tsr"
    with pytest.raises(ToolError) as caught:
        sign_pdf(approval_pdf(), author_profile(keys, tmp_path / "ws", visible=False, tsa_url=url))
    assert caught.value.exit_code == 3
    assert caught.value.lines()[0].startswith(f"PDF: timestamp authority {url} failed:")


def test_company_seal_goes_on_the_first_page(tmp_path, keys):
    prof = profile("seal", "公司电子印章", Source("file", str(keys.seal_p12)), "pkcs12",
                   tmp_path / "ws",
                   passphrase=Source("file", str(keys.seal_pass)), position="first-page")
    signed = sign_pdf(approval_pdf(), prof, when=FIXED_TIME)
    page, (x1, y1, x2, y2) = _widgets(signed)["seal"]
    assert page == 0 and (x2 - x1, y2 - y1) == (120.0, 120.0)
    check = _verify(signed, tmp_path, load_trust_roots([keys.ca_cert]))
    assert check.ok and check.signatures[0].signer == "示例医疗科技有限公司"


@pytest.mark.parametrize("usages, ok", [(("digital_signature",), True),
                                        (("content_commitment",), True),
                                        (("key_encipherment",), False)])
def test_signer_certificate_key_usage(tmp_path, keys, usages, ok):
    identity = authority().ca.issue("赵六", usages=usages)
    p12 = identity.write_pkcs12(tmp_path / "keys" / "zhao.p12", "zhao-pass")
    passphrase = tmp_path / "keys" / "zhao.pass"
    passphrase.write_text("zhao-pass")
    prof = profile("author", "编制", Source("file", str(p12)), "pkcs12", tmp_path / "ws",
                   passphrase=Source("file", str(passphrase)), visible=False)
    check = _verify(sign_pdf(approval_pdf(), prof), tmp_path, load_trust_roots([keys.ca_cert]))
    assert check.ok is ok, check.failure_lines()
    if not ok:
        assert check.failure_lines()[0].startswith(
            "QP-04.pdf: signature author (编制, 赵六): signer 赵六 is not trusted (")


def test_last_page_signatures_do_not_overlap(tmp_path, keys):
    once = sign_pdf(approval_pdf(), author_profile(keys, tmp_path / "ws", position="last-page"))
    twice = sign_pdf(once, approver_profile(keys, tmp_path / "ws", position="last-page"))
    widgets = _widgets(twice)
    (page_a, (ax1, ay1, ax2, ay2)), (page_b, (bx1, by1, bx2, by2)) = (
        widgets["author"], widgets["approver"])
    assert page_a == page_b == 1  # the last of two pages
    assert (ax2 - ax1, ay2 - ay1) == (bx2 - bx1, by2 - by1) == (150.0, 45.0)
    assert bx2 <= ax1 and ay1 == by1  # the second goes left of the first, same baseline
    assert _verify(twice, tmp_path, load_trust_roots([keys.ca_cert])).ok


def test_a_later_revision_filling_a_form_field_fails(tmp_path, keys):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    widget = writer.add_annotation(0, DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("comment"),
        NameObject("/Subtype"): NameObject("/Widget"), NameObject("/V"): TextStringObject(""),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 50, 200, 70)])}))
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([widget.indirect_reference])})
    form = io.BytesIO()
    writer.write(form)
    signed = sign_pdf(form.getvalue(), author_profile(keys, tmp_path / "ws", visible=False))
    update = IncrementalPdfFileWriter(io.BytesIO(signed))
    field_ref = update.root["/AcroForm"]["/Fields"].raw_get(0)
    field_ref.get_object()["/V"] = generic.TextStringObject("changed after signing")
    update.mark_update(field_ref)
    out = io.BytesIO()
    update.write(out)
    check = _verify(out.getvalue(), tmp_path, load_trust_roots([keys.ca_cert]))
    assert check.failure_lines() == [
        "QP-04.pdf: signature author (编制, 张三): a later revision fills form fields other than "
        "signatures: comment"]
