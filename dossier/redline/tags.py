"""WordprocessingML names the redline modules share, qualified (`{namespace}tag`)."""

from __future__ import annotations

from docx.oxml.ns import nsmap, qn

P, R, T, TBL, TR, TC = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
PPR, RPR, TRPR, TCPR = qn("w:pPr"), qn("w:rPr"), qn("w:trPr"), qn("w:tcPr")
SECTPR, PPRCHANGE, RPRCHANGE = qn("w:sectPr"), qn("w:pPrChange"), qn("w:rPrChange")
NUMID = qn("w:numId")
R_NS = nsmap["r"]
DOCPR = qn("wp:docPr")
