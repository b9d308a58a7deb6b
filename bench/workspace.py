"""A synthetic dossier workspace of N procedures for the benchmark (deterministic content).

Each procedure is about five A4 pages of Chinese text: numbered sections with paragraphs,
bulleted and numbered lists, a table per section, bold terms and citations of neighbouring
procedures. The config has the shape `dossier init` writes, with three-digit procedure numbers.
"""

from __future__ import annotations

import random
from pathlib import Path

CONFIG = """\
company:
  name: 示例医疗科技有限公司
  address: 上海市浦东新区示例路 1 号
revision_scheme: letters
numbering:
  quality_manual: "QM-\\\\d{2}"
  procedure: "QP-\\\\d{3}"
  work_instruction: "WI-\\\\d{2}-\\\\d{2}"
  record_form: "QR-\\\\d{2}-\\\\d{2}"
  validation_protocol: "VP-\\\\d{2}-\\\\d{2}"
review_interval_months: {default: 24}
retention_years: {default: 10}
"""

DOCUMENT = """\
id: {id}
kind: procedure
title: {title}
revision: A
effective_date: "2026-01-15"
department: {department}
prepared_by: {{name: 张敏, date: "2026-01-02"}}
reviewed_by: {{name: 李强, date: "2026-01-06"}}
approved_by: {{name: 王建国, date: "2026-01-09"}}
change: 首次发布
distribution:
  - {{copy: 1, holder: 张敏, department: 质量部, issued: "2026-01-15"}}
  - {{copy: 2, holder: 赵磊, department: 生产部, issued: "2026-01-15"}}
"""

SUBJECTS = ["文件控制", "记录控制", "设计开发", "采购控制", "生产过程", "检验放行", "不合格品", "纠正预防",
            "供应商审核", "设备管理", "洁净区管理", "灭菌过程", "风险管理", "培训管理", "内部审核", "管理评审"]
DEPARTMENTS = ["质量部", "生产部", "技术部", "设备部", "采购部", "行政人事部"]
SECTIONS = ["目的", "适用范围", "职责", "工作程序", "监视和测量", "记录"]
PHRASES = [
    "归口部门应按照本程序的规定组织实施并保持相关记录",
    "质量部负责对执行情况进行监督检查，发现问题及时通报",
    "所有操作应在受控条件下进行，确保结果可追溯",
    "偏差应在发现后二十四小时内报告并按规定调查处理",
    "相关人员应经过培训并考核合格后方可上岗",
    "记录应填写及时、内容真实、字迹清晰，不得随意涂改",
    "关键参数的设定和变更应经过评估和批准",
    "每年至少组织一次评审，评审结果作为持续改进的输入",
    "外来文件应识别其适用性并及时更新",
    "生产和检验设备应处于校准有效期内并有状态标识",
]


def paragraph(rng: random.Random, sentences: int) -> str:
    """One paragraph of `sentences` sentences."""
    return "；".join(rng.choice(PHRASES) for _ in range(sentences)) + "。"


def body(rng: random.Random, number: int, total: int) -> str:
    """The Markdown body of procedure `number`: about five A4 pages."""
    cited = [f"QP-{(number + step) % total + 1:03d}" for step in (1, 2) if total > 1]
    parts = []
    for index, section in enumerate(SECTIONS):
        parts.append(f"# {section}\n")
        parts.append(f"## {section}要求\n")
        parts.append(paragraph(rng, 7) + "\n")
        parts.append(f"**{rng.choice(SUBJECTS)}**：" + paragraph(rng, 4) + "\n")
        parts.append("\n".join(f"- **要点{n + 1}**：{rng.choice(PHRASES)}。" for n in range(3)) + "\n")
        parts.append("\n".join(f"{n + 1}. {rng.choice(PHRASES)}。" for n in range(3)) + "\n")
        rows = "\n".join(
            f"| {index + 1}.{n + 1} | {rng.choice(SUBJECTS)} | {rng.choice(DEPARTMENTS)} | {rng.choice(PHRASES)} |"
            for n in range(4)
        )
        parts.append(f"| 序号 | 项目 | 责任部门 | 要求 |\n|---|---|---|---|\n{rows}\n")
        if cited and index == len(SECTIONS) - 2:
            parts.append("本程序引用：" + "、".join(f"[[{c}]]" for c in cited) + "。\n")
    return "\n".join(parts)


def write_workspace(root: Path, count: int, seed: int = 6) -> list[Path]:
    """Write a workspace of `count` procedures QP-001… under `root`; returns the Markdown files."""
    rng = random.Random(seed)
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "dossier.yaml").write_text(CONFIG, encoding="utf-8")
    bodies = []
    for number in range(count):
        doc_id = f"QP-{number + 1:03d}"
        title = f"{SUBJECTS[number % len(SUBJECTS)]}程序{number // len(SUBJECTS) + 1}"
        meta = DOCUMENT.format(id=doc_id, title=title, department=DEPARTMENTS[number % len(DEPARTMENTS)])
        (root / "content" / f"{doc_id}.yaml").write_text(meta, encoding="utf-8")
        markdown = root / "content" / f"{doc_id}.md"
        markdown.write_text(body(rng, number, count), encoding="utf-8")
        bodies.append(markdown)
    return bodies
