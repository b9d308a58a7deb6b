"""软件确认报告: the report of one qualification run, as a .docx (device GMP 2025 Art. 77).

Sections: purpose and scope, the environment, the requirement → check → result trace matrix,
the record of each check (method, result, evidence), deviations (each failed check, with room
for its assessment), the conclusion and a blank approval block (编制 / 审核 / 批准). The
company's name is in the header when a workspace was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from dossier import __version__
from dossier.qualify.catalogue import Catalogue
from dossier.qualify.record import FAILED, NOT_RUN, CheckResult
from dossier.word.blocks import base_document, bordered, cell_text, grid_table
from dossier.word.document import docx_bytes
from dossier.word.package import CoreProperties

TITLE = "软件确认报告"
EVIDENCE_LINES = 40  # evidence lines printed per check; the evidence files hold every line


@dataclass(frozen=True)
class Run:
    """What the report describes: the results, the environment, when, and the evidence files."""

    catalogue: Catalogue
    results: dict[str, CheckResult]
    environment: list[tuple[str, str]]
    started: datetime
    finished: datetime
    company: str
    evidence_files: list[tuple[str, str]]  # (file name under the output folder, SHA-256)

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(r.passed for r in self.results.values())

    def failed(self) -> list[CheckResult]:
        """The checks that failed or did not run, in catalogue order."""
        return [self.results[c.id] for c in self.catalogue.checks if not self.results[c.id].passed]


def _verdict(run: Run, requirement: str) -> str:
    checks = run.catalogue.checks_of(requirement)
    statuses = {run.results[c.id].status for c in checks}
    return "不符合" if FAILED in statuses else "未执行" if NOT_RUN in statuses else "符合"


def _approval(doc) -> None:
    table = doc.add_table(3, 4)
    bordered(table, [3.0, 4.5, 4.5, 4.5])
    for col, text in enumerate(("", "编制", "审核", "批准")):
        cell_text(table.cell(0, col), text, bold=True)
    cell_text(table.cell(1, 0), "签名", bold=True)
    cell_text(table.cell(2, 0), "日期", bold=True)
    for row in table.rows:
        row.height = Cm(1.1)


def _small(doc, text: str) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.font.size = Pt(8.5)


def _header(doc, company: str) -> None:
    header = doc.sections[0].header.paragraphs[0]
    header.text = f"{company}　{TITLE}" if company else TITLE
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _conclusion(run: Run) -> str:
    if run.passed:
        return (f"全部 {len(run.results)} 项检查符合，需求 {run.catalogue.requirements[0].id}～{run.catalogue.requirements[-1].id} "
                f"均得到验证。dossier {__version__} 在本机的安装和运行符合预定用途，经批准后可以用于受控文件的编制、发布和归档。")
    failed = run.failed()
    return (f"{len(failed)} 项检查不符合或未执行（{'、'.join(r.id for r in failed)}）。在偏差处理完成并重新确认之前，"
            f"不得使用本机的 dossier {__version__} 发布受控文件。")


def shown_time(moment: datetime, form: str) -> str:
    """`moment` as `form` (strftime) followed by its UTC offset, `+08:00` as verify shows it: an
    abbreviation such as CST names several zones."""
    offset = moment.strftime("%z")
    return f"{moment.strftime(form)} {offset[:3]}:{offset[3:]}" if offset else moment.strftime(form)


def report_docx(run: Run) -> bytes:
    """The report as .docx bytes (see module docstring)."""
    doc = base_document()
    _header(doc, run.company)
    if run.company:
        doc.add_paragraph(run.company, style="Title").runs[0].font.size = Pt(15)
    doc.add_paragraph(TITLE, style="Title")
    stamp = doc.add_paragraph(f"dossier {__version__}　安装确认（IQ）和运行确认（OQ）　"
                              f"{run.started.strftime('%Y-%m-%d %H:%M')}～{shown_time(run.finished, '%H:%M')}")
    stamp.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("1 目的和范围", level=1)
    doc.add_paragraph(
        "按《医疗器械生产质量管理规范》（2025 年）第七十七条，对本机安装的文件控制软件 dossier 进行确认：安装确认检查软件、"
        "运行环境和转换环境，运行确认在临时工作区中用真实的 LibreOffice 检查软件的各项功能，每项检查对应 dossier 的一项或多项需求。"
        "首次使用前、以及 dossier、Python、依赖库、LibreOffice 或字体每次更改后运行 dossier qualify，重新确认（更改后必要的再确认）。")

    doc.add_heading("2 确认环境", level=1)
    grid_table(doc, ["项目", "内容"], [[item, value] for item, value in run.environment], [3.5, 13.0])

    doc.add_heading("3 需求与检查的追溯", level=1)
    rows = []
    for requirement in run.catalogue.requirements:
        checks = run.catalogue.checks_of(requirement.id)
        rows.append([requirement.id, requirement.text, "、".join(c.id for c in checks), _verdict(run, requirement.id)])
    grid_table(doc, ["需求编号", "需求", "检查", "结果"], rows, [2.0, 9.5, 3.0, 2.0])

    doc.add_heading("4 检查记录", level=1)
    grid_table(doc, ["检查", "内容", "结果", "用时"],
               [[c.id, c.title, run.results[c.id].label, f"{run.results[c.id].seconds:.1f} s"] for c in run.catalogue.checks],
               [2.0, 10.5, 2.0, 2.0])
    for number, check in enumerate(run.catalogue.checks, start=1):
        result = run.results[check.id]
        doc.add_heading(f"4.{number} {check.id} {check.title}：{result.label}", level=2)
        doc.add_paragraph(f"需求：{'、'.join(check.verifies)}。方法：{check.method}。")
        doc.add_paragraph(f"结果：{result.summary}")
        for line in result.evidence[:EVIDENCE_LINES]:
            _small(doc, line)
        if len(result.evidence) > EVIDENCE_LINES:
            _small(doc, f"…… 另有 {len(result.evidence) - EVIDENCE_LINES} 行，见 evidence/{check.id}.txt")
    if run.evidence_files:
        doc.add_paragraph("证据文件", style="Block Label")
        grid_table(doc, ["文件", "SHA-256"], [[name, digest] for name, digest in run.evidence_files], [5.0, 11.5])

    doc.add_heading("5 偏差", level=1)
    failed = run.failed()
    if not failed:
        doc.add_paragraph("无。")
    for number, result in enumerate(failed, start=1):
        check = next(c for c in run.catalogue.checks if c.id == result.id)
        doc.add_paragraph(f"偏差 {number}：{check.id} {check.title}——{result.label}：{result.summary}")
        doc.add_paragraph("影响评估：" + "_" * 40)
        doc.add_paragraph("处理措施：" + "_" * 40)

    doc.add_heading("6 结论", level=1)
    doc.add_paragraph(_conclusion(run))
    doc.add_heading("7 审核和批准", level=1)
    _approval(doc)
    props = CoreProperties(title=TITLE, subject=f"dossier {__version__}", creator=run.company or "dossier",
                           keywords="软件确认", when=run.finished.astimezone(timezone.utc).replace(tzinfo=None))
    return docx_bytes(doc, props)
