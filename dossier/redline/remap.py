"""Pointing content copied from the older rendering at the newer package: list numbering
definitions, pictures and external links, drawing ids, footnotes (a deleted reference brings a
copy of its note)."""

from __future__ import annotations

import copy
import io
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from dossier.errors import UsageError
from dossier.redline.read import Side
from dossier.redline.tags import DOCPR, NUMID, R_NS
from dossier.word.body.footnotes import Footnotes


def remap(old: Side, new: Side, copied: list[Any], num_map: dict[str, str]) -> None:
    """Point copied old content at the new package: list numbering, pictures, drawing ids.

    `copied` are the elements taken from `old` (see `Writer.from_old`); `num_map` maps old
    numbering ids to new ones and is completed with the definitions copied here.
    """
    copies_lists = any(True for root in copied for _ in root.iter(NUMID))
    new_numbering = new.part.numbering_part.element if copies_lists else None
    doc_ids = [int(v) for v in new.document.element.xpath("//wp:docPr/@id")]
    next_doc_id = max(doc_ids, default=0) + 1
    notes: Footnotes | None = None
    for root in copied:
        for reference in root.iter(qn("w:footnoteReference")):
            note = old.notes.get(reference.get(qn("w:id")))
            if note is not None:
                notes = notes or Footnotes(new.part)
                reference.set(qn("w:id"), notes.copy_note(note, old.part.part_related_by(RT.FOOTNOTES)))
        for num in root.iter(NUMID):
            value = num.get(qn("w:val"))
            if value not in num_map:
                num_map[value] = _copy_numbering(old.part.numbering_part.element, new_numbering, value)
            num.set(qn("w:val"), num_map[value])
        for node in root.iter():
            for name, value in list(node.attrib.items()):
                if name.startswith(f"{{{R_NS}}}"):
                    node.set(name, _relate(old, new, value))
            if node.tag == DOCPR:
                node.set("id", str(next_doc_id))
                next_doc_id += 1
    if notes is not None:
        notes.save()


def _relate(old: Side, new: Side, rid: str) -> str:
    rel = old.part.rels[rid]
    if rel.is_external:
        return new.part.relate_to(rel.target_ref, rel.reltype, is_external=True)
    if rel.reltype in (RT.HEADER, RT.FOOTER):  # a removed section break: the newer revision's header/footer
        same = [r for r in new.part.rels.values() if r.reltype == rel.reltype]
        named = [r for r in same if str(r.target_part.partname) == str(rel.target_part.partname)]
        if named or same:
            return (named or same)[0].rId
    if rel.reltype != RT.IMAGE:
        kind = rel.reltype.rsplit("/", 1)[-1]
        raise UsageError(f"error: the older revision has a removed {kind} object the redline cannot carry")
    rid_new, _ = new.part.get_or_add_image(io.BytesIO(rel.target_part.blob))
    return rid_new


def _copy_numbering(old_numbering: Any, new_numbering: Any, num_id: str) -> str:
    """Copy list definition `num_id` of the old numbering part into the new one; its new id."""
    num = old_numbering.xpath(f"w:num[@w:numId='{num_id}']")[0]
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = copy.deepcopy(old_numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']")[0])
    new_abstract = str(max((int(v) for v in new_numbering.xpath("w:abstractNum/@w:abstractNumId")), default=0) + 1)
    new_num = str(max((int(v) for v in new_numbering.xpath("w:num/@w:numId")), default=0) + 1)
    abstract.set(qn("w:abstractNumId"), new_abstract)
    for child in abstract.findall(qn("w:nsid")):
        abstract.remove(child)
    nums = new_numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)
    else:
        new_numbering.append(abstract)
    copied = copy.deepcopy(num)
    copied.set(qn("w:numId"), new_num)
    copied.find(qn("w:abstractNumId")).set(qn("w:val"), new_abstract)
    new_numbering.append(copied)
    return new_num
