"""verify describes every revision after a signature and fails on any change a reader sees (issue 14 #18)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields

from dossier.signing.verify import load_trust_roots, verify_pdf
from tests.signing_support import blank_signed_twice

XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
       b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
       b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">VOID</rdf:li>'
       b'</rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


@pytest.fixture()
def signed(tmp_path_factory) -> tuple[bytes, list]:
    _, twice, keys = blank_signed_twice(str(tmp_path_factory.getbasetemp() / "revisions"))
    return twice, load_trust_roots([keys.ca_cert])


def _update(data: bytes, change) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    change(writer)
    writer._update_meta = lambda: None  # write exactly the change (pyHanko would refresh /ModDate and XMP)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _verify(data: bytes, roots, tmp_path: Path):
    path = tmp_path / "QP-04.pdf"
    path.write_bytes(data)
    return verify_pdf(path, roots, display="QP-04.pdf")


def _empty_update(data: bytes) -> bytes:
    """A revision that writes no object: a new cross-reference section with the same trailer."""
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    trailer = data[data.rindex(b"trailer"):data.rindex(b"startxref")]
    trailer = re.sub(rb"/Prev \d+", b"/Prev %d" % start, trailer)
    body = data + b"\n"
    return body + b"xref\n0 0\n" + trailer + b"startxref\n%d\n%%%%EOF\n" % len(body)


def _title(writer) -> None:
    info = writer.trailer["/Info"]
    info[generic.NameObject("/Title")] = generic.TextStringObject("作废")
    writer.update_container(info)


def _xmp(writer) -> None:
    stream = generic.StreamObject({generic.NameObject("/Type"): generic.NameObject("/Metadata"),
                                   generic.NameObject("/Subtype"): generic.NameObject("/XML")}, stream_data=XMP)
    writer.root[generic.NameObject("/Metadata")] = writer.add_object(stream)
    writer.update_root()


def _annotation(writer) -> None:
    page = writer.root["/Pages"]["/Kids"][0]
    note = writer.add_object(generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"), generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(50)] * 2 + [generic.NumberObject(90)] * 2),
        generic.NameObject("/Contents"): generic.TextStringObject("作废")}))
    annots = page.get("/Annots")
    if annots is None:
        page[generic.NameObject("/Annots")] = generic.ArrayObject([note])
    else:
        annots.append(note)
    writer.update_container(page)


def _outline(writer) -> None:
    item = writer.add_object(generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject("作废")}))
    outline = generic.DictionaryObject({generic.NameObject("/Type"): generic.NameObject("/Outlines"),
                                        generic.NameObject("/First"): item, generic.NameObject("/Last"): item,
                                        generic.NameObject("/Count"): generic.NumberObject(1)})
    writer.root[generic.NameObject("/Outlines")] = writer.add_object(outline)
    writer.update_root()


def _unsigned_box(writer) -> None:
    fields.append_signature_field(writer, fields.SigFieldSpec("forged", on_page=0, box=(100, 100, 300, 160)))


def test_signed_twice_is_described_revision_by_revision(signed, tmp_path) -> None:
    data, roots = signed
    check = _verify(data, roots, tmp_path)
    assert check.ok, check.failure_lines()
    assert [s.coverage for s in check.signatures] == [
        "revision 2 of 3; after it: revision 3 adds signature approver (批准)", "the entire file"]


def test_an_empty_update_is_described_as_changing_nothing(signed, tmp_path) -> None:
    data, roots = signed
    check = _verify(_empty_update(data), roots, tmp_path)
    assert check.ok, check.failure_lines()
    assert [s.coverage for s in check.signatures] == [
        "revision 2 of 4; after it: revision 3 adds signature approver (批准); revision 4 changes nothing",
        "revision 3 of 4; after it: revision 4 changes nothing"]


@pytest.mark.parametrize(("change", "expected"), [
    (_title, "revision 4 changes the document information /Title: '文件控制程序' → '作废' (shown to readers, not signed)"),
    (_xmp, "revision 4 changes the metadata shown (XMP dc:title: None → 'VOID') (shown to readers, not signed)"),
    (_unsigned_box, "revision 4 adds an unsigned signature field forged (shown to readers, not signed)"),
    (_annotation, "a later revision changes the document (modification level OTHER"),
    (_outline, "a later revision changes the document (modification level OTHER"),
])
def test_a_change_a_reader_sees_fails_both_signatures(signed, tmp_path, change, expected) -> None:
    data, roots = signed
    check = _verify(_update(data, change), roots, tmp_path)
    assert not check.ok
    for signature in check.signatures:
        assert any(problem.startswith(expected) for problem in signature.problems), (signature.field, signature.problems)
