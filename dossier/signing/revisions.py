"""What each revision of a signed PDF does, as a reader of the document would see it.

pyHanko's difference analysis judges page content, annotations, the outline and form fields,
but lets the document information dictionary (/Info) and the XMP metadata change freely, and
calls an empty update "only adds signatures". A viewer shows the title (with /DisplayDocTitle in
its window bar), author, subject and keywords, so a revision after a signature that changes them
changes what the signer signed. `describe` reads every revision and says what it does:

- `adds signature author (编制)`: a signature signed in that revision;
- `changes the document information /Title: '文件控制程序' → '作废'`: any /Info entry except
  /Producer and /ModDate (which signing software updates);
- `changes the metadata shown (XMP dc:title …)`: title, author, subject, description, keywords;
- `adds an unsigned signature field … shown on page N`: a box that looks like a signature;
- `changes nothing`: an update that writes no object.

Revisions are numbered from 1 (the unsigned document) as a PDF viewer's revision list does.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

SIGNING_INFO_KEYS = frozenset({"/Producer", "/ModDate"})  # updated by signing software; not what a reader reads
_NS = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "dc": "http://purl.org/dc/elements/1.1/",
       "pdf": "http://ns.adobe.com/pdf/1.3/"}
# XMP properties a viewer shows, and the document information entry each repeats
XMP_SHOWN = {"dc:title": "/Title", "dc:creator": "/Author", "dc:description": "/Subject", "dc:subject": "/Keywords",
             "pdf:Keywords": "/Keywords"}


@dataclass
class Revision:
    """One revision (1-based `number`) and what it does to what a reader sees."""

    number: int
    objects: int
    signatures: list[str] = field(default_factory=list)  # labels of the signatures signed in it
    info: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    xmp: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    unsigned_fields: list[str] = field(default_factory=list)

    def shown_changes(self) -> list[str]:
        """What this revision changes that a reader sees (empty when nothing)."""
        found = [f"changes the document information {key}: {old!r} → {new!r}" for key, (old, new) in sorted(self.info.items())]
        found += [f"changes the metadata shown (XMP {key}: {old!r} → {new!r})" for key, (old, new) in sorted(self.xmp.items())]
        found += [f"adds an unsigned signature field {name}" for name in self.unsigned_fields]
        return found

    def summary(self) -> str:
        """`revision 3 adds signature approver (批准)` / `… changes nothing` / `… writes 5 objects`."""
        parts = [f"adds signature {label}" for label in self.signatures] + self.shown_changes()
        if not parts and self.number == 1:
            return "revision 1 is the document before any signature"
        if not parts:
            parts = ["changes nothing"] if self.objects == 0 else [f"writes {self.objects} objects and adds no signature"]
        return f"revision {self.number} " + "; ".join(parts)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _entry(resolver, container, key: str):
    """`container[key]` as it was in the resolver's revision (references resolved there, not in the last one)."""
    try:
        value = container.raw_get(key)
    except KeyError:
        return None
    return resolver(value) if isinstance(value, generic.IndirectObject) else value


def _info(resolver) -> dict[str, str | None]:
    try:
        info = _entry(resolver, resolver.trailer_view, "/Info")
    except Exception:  # a dangling reference: treated as no information
        info = None
    return {str(key): _text(value) for key, value in info.items()} if isinstance(info, dict) else {}


def _xmp(resolver) -> dict[str, str | None]:
    """The XMP properties a viewer shows (title, author …), each as text, or {} without XMP."""
    try:
        stream = _entry(resolver, resolver.root, "/Metadata")
        data = stream.data if stream is not None else None
    except Exception:
        return {"xmp": "unreadable"}
    if not data:
        return {}
    try:
        root = ElementTree.fromstring(data.strip().split(b"?>", 1)[-1].rsplit(b"<?xpacket", 1)[0] or data)
    except ElementTree.ParseError:
        return {"xmp": "unreadable"}
    found: dict[str, str | None] = {}
    for description in root.iter(f"{{{_NS['rdf']}}}Description"):
        for key in XMP_SHOWN:
            prefix, name = key.split(":")
            tag = f"{{{_NS[prefix]}}}{name}"
            if tag in description.attrib:
                found[f"{prefix}:{name}"] = description.attrib[tag]
            for element in description.iter(tag):
                items = [li.text or "" for li in element.iter(f"{{{_NS['rdf']}}}li")]
                found[f"{prefix}:{name}"] = " | ".join(items) if items else (element.text or "")
    return found


def _changed(old: dict[str, str | None], new: dict[str, str | None], ignore: frozenset[str] = frozenset()) -> dict:
    return {key: (old.get(key), new.get(key)) for key in sorted(set(old) | set(new))
            if key not in ignore and old.get(key) != new.get(key)}


def describe(reader: PdfFileReader, labels: dict[str, str]) -> list[Revision]:
    """Every revision of the PDF (see module docstring); `labels` names each signature field for messages."""
    total = reader.xrefs.total_revisions
    signed_in: dict[int, list[str]] = {}
    for signature in reader.embedded_regular_signatures:
        signed_in.setdefault(signature.signed_revision, []).append(labels.get(signature.field_name, signature.field_name))
    revisions = []
    previous = reader.get_historical_resolver(0)
    before_info, before_xmp = _info(previous), _xmp(previous)
    before_fields = {name for name, _, _ in enumerate_sig_fields(previous)}
    revisions.append(Revision(1, len(list(reader.xrefs.explicit_refs_in_revision(0))), signed_in.get(0, [])))
    for index in range(1, total):
        resolver = reader.get_historical_resolver(index)
        info, xmp = _info(resolver), _xmp(resolver)
        fields = {name: (value, ref) for name, value, ref in enumerate_sig_fields(resolver)}
        revision = Revision(index + 1, len(list(reader.xrefs.explicit_refs_in_revision(index))), signed_in.get(index, []))
        revision.info = _changed(before_info, info, SIGNING_INFO_KEYS)
        # XMP that a signature adds repeats the document information; anything else is a change
        revision.xmp = {key: pair for key, pair in _changed(before_xmp, xmp).items()
                        if not (pair[0] is None and pair[1] == before_info.get(XMP_SHOWN.get(key, "")))}
        for name, (value, ref) in fields.items():
            if name not in before_fields and value is None and _visible(resolver, ref):
                revision.unsigned_fields.append(name)
        revisions.append(revision)
        before_info, before_xmp, before_fields = info, xmp, set(fields)
    return revisions


def _visible(resolver, ref) -> bool:
    """True when a signature field's widget has an area on the page."""
    try:
        widget = resolver(ref) if isinstance(ref, generic.IndirectObject) else ref
        rect = [float(x) for x in widget.get("/Rect", [0, 0, 0, 0])]
    except Exception:
        return True
    return abs(rect[2] - rect[0]) > 0 and abs(rect[3] - rect[1]) > 0
