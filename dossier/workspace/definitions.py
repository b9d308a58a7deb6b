"""The fields of dossier.yaml and of a document's YAML, as `dossier.workspace.spec.Field` definitions.

`load.py` reads with them and `dossier schema` writes them as JSON Schema. The blocks only some
kinds take (`form`, `validation`, `plan`, `report`) are defined beside their rules in
`dossier.validate.blocks` (the validation ones in `dossier.validation.spec`);
`signing:` beside the signing profiles (`dossier.signing.spec`).
"""

from __future__ import annotations

from dossier.workspace.kinds import KINDS
from dossier.workspace.model import DUTIES, NUMBERING_STYLES, REGISTER_NAMES
from dossier.workspace.retention import MINIMUM_YEARS, RULE_PATTERN
from dossier.workspace.revisions import SCHEME_NAMES
from dossier.workspace.spec import (
    DATE,
    FLAG,
    INTEGER,
    LIST,
    MAPPING,
    MAPPINGS,
    MARKDOWN,
    NUMBER,
    ONE_OF,
    TABLE,
    TEXT,
    TEXT_OR_TEXTS,
    TEXTS,
    Field,
    mapping,
)

CONFIG_FILE = "dossier.yaml"
MAX_TIMEOUT = 3600  # seconds per document a converter may take at most
FONT_ROLES = ("body", "heading", "latin")
KIND_NAMES = tuple(KINDS)

# --- dossier.yaml -------------------------------------------------------------------------

COMPANY = mapping(
    "company",
    Field("name", TEXT, required=True, label="公司名称", doc="printed in the header of every page"),
    Field("address", TEXT, label="公司地址"),
    required=True, label="公司", doc="the company whose documents these are",
)
_PER_KIND_MONTHS = Field("", INTEGER, minimum=1)
REVIEW_INTERVAL = Field("review_interval_months", TABLE, keys=("default", *KIND_NAMES), value=_PER_KIND_MONTHS,
                        label="定期评审周期（月）", doc="months between periodic reviews, per kind, with a default")
RETENTION_RULE = Field("", ONE_OF, filled=True, alternatives=(
    Field("", INTEGER, minimum=MINIMUM_YEARS, doc="years from supersession or withdrawal"),
    Field("", TEXT, pattern=RULE_PATTERN, scalars=("string",),
          doc="device_lifetime + N (needs device_lifetime_years) or product_expiry + N (needs product_expiry_months)"),
))
RETENTION = Field("retention_years", TABLE, keys=("default", *KIND_NAMES), value=RETENTION_RULE, label="保存期限",
                  doc="per kind, with a default: how long a superseded or withdrawn revision is kept (Art. 43(4), 45(4): "
                      "N years, device_lifetime + N or product_expiry + N; at least 2 years)")
DEVICE_LIFETIME = Field("device_lifetime_years", INTEGER, minimum=1, label="医疗器械寿命期（年）",
                        doc="the declared device lifetime, used by retention rules `device_lifetime + N`")
PRODUCT_EXPIRY = Field("product_expiry_months", INTEGER, minimum=1, label="产品有效期（月）",
                       doc="the product's shelf life, used by retention rules `product_expiry + N`")
_SERVERS_DOC = "convert on these servers instead of local LibreOffice (unoserver://HOST:PORT, gotenberg+http://HOST:PORT)"
CONVERTER = Field("converter", ONE_OF, label="转换服务", doc=_SERVERS_DOC + "; or {servers: …, timeout: SECONDS}", alternatives=(
    Field("", TEXT_OR_TEXTS, doc=_SERVERS_DOC),
    mapping("", Field("servers", TEXT_OR_TEXTS, label="转换服务器", doc=_SERVERS_DOC),
            Field("timeout", NUMBER, minimum=1, maximum=MAX_TIMEOUT, label="转换时限（秒）",
                  doc="seconds one document may take to convert before the build stops (exit 3); default 30")),
))
NUMBERING_STYLE = Field("numbering_style", TEXT, choices=NUMBERING_STYLES, label="标题编号",
                        doc="heading numbers: auto (1, 1.1), chapter (第一章, 第一节) or none")
# the registers `dossier register` writes (titles as in dossier/control/forms.yaml)
_REGISTER_TITLES = {"master-list": "受控文件清单", "drafts": "未发布文件清单", "distribution": "文件发放回收记录",
                    "destruction": "文件销毁记录", "external": "外来文件清单"}
REGISTERS = mapping(
    "registers", *(Field(name, TEXT, label=_REGISTER_TITLES[name], doc="its form number") for name in REGISTER_NAMES),
    label="记录表编号", doc="the form number printed on each register `dossier register` writes",
)
NUMBERING = Field("numbering", TABLE, keys=KIND_NAMES, value=Field("", TEXT, doc="a regular expression"),
                  label="文件编号规则", doc="regular expression each document id of a kind must match")
PATHS = mapping(
    "paths",
    Field("content", TEXT, doc="folder of the document YAML and Markdown (default content)"),
    Field("templates", TEXT, doc="folder of workspace templates (default templates)"),
    Field("build", TEXT, doc="output folder (default build)"),
    Field("releases", TEXT, doc="release archive folder (default releases)"),
    Field("ledger", TEXT, doc="release ledger file (default ledger.jsonl)"),
    Field("external", TEXT, doc="external-document register, Art. 44 (default external.yaml)"),
    label="路径", doc="where the workspace keeps its files, relative to dossier.yaml",
)
_FONT_FACES = tuple(Field(role, TEXT, filled=True, label={"body": "正文字体", "heading": "标题字体", "latin": "西文字体"}[role])
                    for role in FONT_ROLES)
FONTS = mapping(
    "fonts", *_FONT_FACES,
    *(mapping(kind, *_FONT_FACES, label=f"{KINDS[kind].label}字体") for kind in KIND_NAMES),
    label="字体", doc="faces named in the .docx (宋体, 黑体, 仿宋, 楷体, Times New Roman …), workspace-wide and per kind",
)
APPROVAL_AUTHORITY = Field(
    "approval_authority", TABLE, keys=("default", *KIND_NAMES), label="审批权限",
    doc="per kind (with a default): who may review (审核) and who may approve (批准)",
    value=mapping("", *(Field(duty, TEXTS, filled=True, min_items=1, label={"review": "审核人", "approve": "批准人"}.get(duty, duty))
                        for duty in DUTIES), required=True),
)
# --- coverage (dossier.coverage.declarations: the grammar) ---------------------------------

_ARTICLE = Field("article", ONE_OF, required=True, label="条款", alternatives=(
    Field("", INTEGER, minimum=1), Field("", TEXT, scalars=("string",))), doc="article number of the rule set (43, or its key)")
_EXCLUSIONS = Field("", MAPPINGS, label="不适用条款", doc="articles not applicable (Art. 130), each with the reason", fields=(
    _ARTICLE,
    Field("reason", TEXT, required=True, label="不适用理由"),
    Field("review", FLAG, label="待确认", doc="the company must still confirm it"),
))
COVERAGE = mapping(
    "coverage",
    Field("rules", TEXT_OR_TEXTS, label="法规条款集", doc="the rule set(s) checked (default device-gmp-2025)"),
    Field("drafts_cover", FLAG, label="草稿计入", doc="drafts count as covering an article while the system is set up"),
    Field("not_applicable", ONE_OF, label="不适用条款", alternatives=(_EXCLUSIONS, Field("", TABLE, value=_EXCLUSIONS)),
          doc="a list for the first rule set, or {RULES: [...]} per rule set"),
    label="法规符合性", doc="which rule sets `dossier coverage` checks and the articles declared not applicable",
)
_CLAIM = Field("", ONE_OF, alternatives=(
    Field("", INTEGER, minimum=1), Field("", TEXT, scalars=("string",)),
    mapping("", _ARTICLE, Field("section", TEXT, label="章节", doc="the section of this document that meets it")),
))
_CLAIMS = Field("", LIST, value=_CLAIM)
COVERS = Field("covers", ONE_OF, label="符合条款", alternatives=(_CLAIMS, Field("", TABLE, value=_CLAIMS)),
               doc="the articles this document meets: [10, 56, {article: 74, section: \"4.5\"}], or {RULES: [...]} per rule set")
RECORD_TYPE = Field("record_type", TEXT, label="记录类型",
                    doc="the record an article prescribes (e.g. batch_production): the form must show its prescribed fields")

CONFIG = mapping(
    CONFIG_FILE,
    COMPANY,
    Field("revision_scheme", TEXT, choices=SCHEME_NAMES, label="版本编号方式",
          doc="letters (A, B …), edition (A/0, A/1 …) or numeric (1.0, 1.1 …)"),
    NUMBERING,
    REVIEW_INTERVAL,
    RETENTION,
    PATHS,
    Field("signing", MAPPING, open=True, label="电子签名", doc="signing profiles (see docs/ci/README.md)"),
    Field("disinfectant", MAPPING, open=True, label="消毒产品", doc="reserved for disinfectant product settings"),
    CONVERTER,
    FONTS,
    Field("timezone", TEXT, label="时区", doc="IANA time zone of dates and signature times (default Asia/Shanghai)"),
    Field("require_signed_releases", FLAG, label="发布须电子签名", doc="refuse a release without a signed PDF"),
    APPROVAL_AUTHORITY,
    NUMBERING_STYLE,
    DEVICE_LIFETIME,
    PRODUCT_EXPIRY,
    REGISTERS,
    COVERAGE,
    label="dossier 工作区配置",
)

# --- content/<ID>.yaml ---------------------------------------------------------------------

SIGNOFF_FIELDS = (Field("name", TEXT, required=True, label="姓名"), Field("date", DATE, label="日期"))
PREPARED_BY = mapping("prepared_by", *SIGNOFF_FIELDS, label="编制", doc="who prepared the document, and when")
REVIEWED_BY = mapping("reviewed_by", *SIGNOFF_FIELDS, label="审核", doc="who reviewed the document, and when")
APPROVED_BY = mapping("approved_by", *SIGNOFF_FIELDS, label="批准",
                      doc="the approver (the approval block is filled from the ledger on release)")
DISTRIBUTION = Field(
    "distribution", MAPPINGS, label="分发范围",
    doc="planned distribution: copy number, holder, department (dossier issue records the issues in the ledger)",
    fields=(
        Field("copy", INTEGER, required=True, minimum=1, label="发放号"),
        Field("holder", TEXT, required=True, label="领用人"),
        Field("department", TEXT, label="部门"),
        Field("issued", DATE, label="发放日期", doc="only in records written before the ledger held issues"),
        Field("withdrawn", DATE, label="回收日期", doc="only in records written before the ledger held issues"),
    ),
)
DOCUMENT = mapping(
    "document",
    Field("id", TEXT, required=True, label="文件编号", doc="the document number, also the file name (QP-04 → content/QP-04.yaml)"),
    Field("kind", TEXT, required=True, choices=KIND_NAMES, label="文件类别",
          doc="; ".join(f"{name}: {kind.label}" for name, kind in KINDS.items())),
    Field("title", TEXT, required=True, label="文件名称"),
    Field("revision", TEXT, required=True, label="版本号", doc="the working revision (write numeric ones in quotes)",
          scalars=("string", "integer")),
    Field("effective_date", DATE, label="生效日期", doc="YYYY-MM-DD; release writes it"),
    Field("department", TEXT, label="编制部门"),
    PREPARED_BY,
    REVIEWED_BY,
    APPROVED_BY,
    Field("change", TEXT, label="修订内容", doc="what this revision changes"),
    Field("body", MARKDOWN, label="正文", doc="the Markdown body, when there is no content/<ID>.md"),
    Field("body_file", TEXT, label="正文文件", doc="the Markdown body's file, relative to the YAML (default <ID>.md)"),
    DISTRIBUTION,
    NUMBERING_STYLE,
    COVERS,
    RECORD_TYPE,
    label="受控文件",
)

# --- external.yaml (外来文件清单, Art. 44) ---------------------------------------------------

EXTERNAL_STATUSES = ("current", "superseded", "withdrawn")
EXTERNAL_TYPES = ("法律", "行政法规", "部门规章", "规范性文件", "国家标准", "行业标准", "药典", "指导原则", "其他")
EXTERNAL_ENTRY = mapping(
    "",
    Field("key", TEXT, filled=True, label="引用名", doc="how bodies cite it: [[KEY]]; default: the number"),
    Field("number", TEXT, required=True, label="文号/标准号"),
    Field("title", TEXT, required=True, label="名称"),
    Field("type", TEXT, choices=EXTERNAL_TYPES, label="类别", doc="default 其他"),
    Field("issuer", TEXT, label="发布机构"),
    Field("year", TEXT, label="年份/版本"),
    Field("effective", DATE, label="实施日期"),
    Field("status", TEXT, choices=EXTERNAL_STATUSES, label="状态",
          doc="current (default) | superseded (needs replaced_by) | withdrawn"),
    Field("replaced_by", TEXT, label="替代文件", doc="the key of the entry that replaces it"),
    label="外来文件",
)
EXTERNAL_FILE = mapping(
    "external.yaml",
    Field("documents", MAPPINGS, fields=EXTERNAL_ENTRY.fields, label="外来文件", doc="the register's entries"),
    label="外来文件清单",
)
