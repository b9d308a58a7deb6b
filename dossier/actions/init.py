"""`dossier init`: a new workspace with a config, one procedure and one record form that build.

It also writes the JSON Schemas of the workspace files into `schemas/` and the editor settings
that use them (`.vscode/settings.json` for the YAML extension, and a `# yaml-language-server:
$schema=` line at the end of each YAML file, where it moves no line an error message names).
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from dossier.actions.schema import CONFIG_SCHEMA, SCHEMA_DIR, editor_settings, kind_schema_name, modeline, write_schemas
from dossier.errors import UsageError
from dossier.util.atomic import write_text
from dossier.util.clock import today_in
from dossier.workspace.model import DEFAULT_TIMEZONE

FILES = {
    "dossier.yaml": """\
company:
  name: {company}
  address: ""
revision_scheme: letters          # letters | edition | numeric
numbering:                        # each document id must match its kind's pattern
  quality_manual: "QM-\\\\d{{2}}"
  procedure: "QP-\\\\d{{2}}"
  work_instruction: "WI-\\\\d{{2}}-\\\\d{{2}}"
  record_form: "QR-\\\\d{{2}}-\\\\d{{2}}"
  validation_protocol: "VP-\\\\d{{2}}-\\\\d{{2}}"
review_interval_months: {{default: 24}}
retention_years: {{default: 10}}
# fonts named in the .docx (default 宋体 body, 黑体 headings, Times New Roman for Latin text);
# per kind too, e.g. work_instruction: {{body: 仿宋}}
# fonts: {{body: 宋体, heading: 黑体, latin: Times New Roman}}
""",
    "content/QP-01.yaml": """\
id: QP-01
kind: procedure
title: 文件控制程序
revision: A
effective_date: "{today}"
department: 质量部
prepared_by: {{name: 编制人, date: "{today}"}}
reviewed_by: {{name: 审核人, date: "{today}"}}
# approved_by: written by `dossier release DOC-ID --approved-by NAME` (the approver of record)
change: 首次发布
distribution:
  - {{copy: 1, holder: 编制人, department: 质量部}}
""",
    "content/QP-01.md": """\
# 目的

规定质量管理体系文件的编制、审核、批准、发放、修订和作废的要求。

# 适用范围

适用于本公司所有质量管理体系文件。

# 职责

- **质量部**：负责文件的编号、发放、回收和归档。
- **各部门**：负责本部门文件的起草和执行。

# 工作程序

1. 起草人按模板起草文件。
2. 部门负责人审核，管理者代表批准。
3. 质量部按 [[QR-01-01]] 记录发放和回收。

# 记录

[[QR-01-01]]
""",
    "content/QR-01-01.yaml": """\
id: QR-01-01
kind: record_form
title: 文件发放回收记录
revision: A
effective_date: "{today}"
department: 质量部
prepared_by: {{name: 编制人, date: "{today}"}}
reviewed_by: {{name: 审核人, date: "{today}"}}
# approved_by: written by `dossier release DOC-ID --approved-by NAME` (the approver of record)
change: 首次发布
form:
  header_fields: [部门, 年度]
  columns: [序号, 文件编号, 文件名称, 版本, 发放号, 领用人, 发放日期, 回收日期, 备注]
  rows: 15
  footer_fields: [记录人, 复核人]
body: |
  本表由质量部文控人员填写，按 [[QP-01]] 保存。
""",
}


# file -> the schema its modeline names (relative to the file)
SCHEMA_OF = {
    "dossier.yaml": f"{SCHEMA_DIR}/{CONFIG_SCHEMA}",
    "content/QP-01.yaml": f"../{SCHEMA_DIR}/{kind_schema_name('procedure')}",
    "content/QR-01-01.yaml": f"../{SCHEMA_DIR}/{kind_schema_name('record_form')}",
}


def new_workspace_today() -> str:
    """Today (YYYY-MM-DD) for a workspace being created: in the zone it will be in (it writes no
    `timezone:`, so the default Asia/Shanghai), the day every later command of it takes for today."""
    return today_in(ZoneInfo(DEFAULT_TIMEZONE)).isoformat()


def init_workspace(directory: Path, company: str, today: str | None = None) -> list[Path]:
    """Create the starter files, schemas and editor settings in `directory`; refuses to overwrite a workspace.

    `today` (YYYY-MM-DD) dates the starter documents; default: `new_workspace_today()`.
    """
    if (directory / "dossier.yaml").exists():
        raise UsageError(f"error: {directory}: already a dossier workspace (dossier.yaml exists)")
    today = today or new_workspace_today()
    written = []
    for name, text in FILES.items():
        path = directory / name
        text = text.format(company=company, today=today)
        if name in SCHEMA_OF:
            text += modeline(SCHEMA_OF[name])
        write_text(path, text)
        written.append(path)
    written += write_schemas(directory / SCHEMA_DIR)
    settings = directory / ".vscode" / "settings.json"
    if not settings.exists():
        write_text(settings, editor_settings())
        written.append(settings)
    return written
