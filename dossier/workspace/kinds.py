"""The document kinds: one table, one entry per kind.

Adding a kind means one entry here, one template (`dossier/word/templates/<name>.docx`, generated
by `python -m dossier.word.templatekit` from the entry's `layout`) and, if it has fields of its
own, their rules in `dossier.validate`. Everything else (numbering defaults, labels, which
YAML blocks a document may carry, which extra blocks the template holds and render fills, the
fields a workspace template must declare) is read from here.
"""

from __future__ import annotations

from dataclasses import dataclass

# device GMP 2025 Art. 76: a validation or qualification protocol states these six elements
ART76_ELEMENTS = {
    "object": "验证或者确认对象",
    "responsibilities": "部门和人员职责",
    "environment": "实施环境",
    "method": "方法",
    "sampling": "取样要求",
    "acceptance_criteria": "接收准则",
}
# Jinja fields every template declares; a kind's `blocks` are declared as well
TEMPLATE_FIELDS = frozenset({"company", "doc", "body", "prepared", "reviewed", "approved", "history"})
DEFAULT_REVIEW_MONTHS = 24  # periodic review interval unless dossier.yaml says otherwise
DEFAULT_RETENTION_YEARS = 10  # retention after withdrawal unless dossier.yaml says otherwise


@dataclass(frozen=True)
class DocumentKind:
    """One kind of controlled document.

    `blocks` are the extra template blocks render fills (`toc` table of contents, `form` record
    grid); `fields` are the YAML blocks only this kind takes (`form`, `validation`: the Art. 76
    elements, rendered as the first sections of the body);
    `layout` is the template's layout (`manual`: cover, approval, history, TOC; `document`: title,
    approval, history, body; `form`: title, grid, body, approval at the end).
    """

    name: str
    label: str
    numbering: str  # default regex a document id of this kind matches
    layout: str
    body_required: bool = True
    blocks: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()

    @property
    def template(self) -> str:
        """File name of the kind's template."""
        return f"{self.name}.docx"

    @property
    def template_fields(self) -> frozenset[str]:
        """Jinja fields a template of this kind must declare."""
        return TEMPLATE_FIELDS | set(self.blocks)


KINDS: dict[str, DocumentKind] = {kind.name: kind for kind in (
    DocumentKind("quality_manual", "质量手册", r"QM-\d{2}", "manual", blocks=("toc",)),
    DocumentKind("procedure", "程序文件", r"QP-\d{2}", "document"),
    DocumentKind("work_instruction", "作业指导书", r"WI-[\d-]+", "document"),
    DocumentKind("record_form", "记录表单", r"QR-[\d-]+", "form", body_required=False, blocks=("form",), fields=("form",)),
    DocumentKind("validation_protocol", "验证方案", r"VP-[\d-]+", "document", fields=("validation",)),
    DocumentKind("validation_plan", "验证总计划", r"VMP-\d{2}", "document", body_required=False, fields=("plan",)),
    DocumentKind("validation_report", "验证报告", r"VR-[\d-]+", "document", body_required=False, fields=("report",)),
)}
KIND_LABELS = {name: kind.label for name, kind in KINDS.items()}
DEFAULT_NUMBERING = {name: kind.numbering for name, kind in KINDS.items()}
KIND_FIELDS = frozenset(field for kind in KINDS.values() for field in kind.fields)
