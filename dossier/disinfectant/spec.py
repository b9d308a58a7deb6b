"""The fields of a disinfectant `product.yaml` and of `labs.yaml`, as field definitions.

`reader.py` takes the keys each section may hold from here (`PRODUCT_FILE`), and `dossier schema`
writes them as JSON Schema. What depends on other fields or on the rule set (a field required
only for imported products or for one product group, the raw-material kinds of a formula, the
questions and materials of the rule set's forms) is checked by the reader only; the schema lists
such fields as optional, and the questions and materials of every shipped rule set.
"""

from __future__ import annotations

import dataclasses

from dossier.disinfectant.formula import KINDS as MATERIAL_KINDS
from dossier.disinfectant.ruleset import available_rule_sets, load_rule_set
from dossier.workspace.spec import DATE, FLAG, MAPPINGS, NUMBER, ONE_OF, TEXT, TEXTS, Field, mapping

CONCLUSIONS = {"合格": True, "符合要求": True, "不合格": False, "不符合要求": False}  # conclusion -> conforms
ANSWERS = {"是": True, "否": False, True: True, False: False}

_RULE_SETS = tuple(load_rule_set(name) for name in available_rule_sets())


def _unique(items):
    """Items of every rule set, the first of each key, in order."""
    seen: dict[str, object] = {}
    for item in items:
        seen.setdefault(item.key, item)
    return list(seen.values())


QUESTIONS = _unique(q for rules in _RULE_SETS for q in rules.forms.annex3.questions if q.key)
MATERIALS = _unique(m for rules in _RULE_SETS for m in rules.forms.annex3.materials)
LICENCE = mapping(
    "hygiene_licence",
    Field("number", TEXT, required=True, label="卫生许可证号"),
    Field("valid_from", DATE, required=True, label="有效期起"),
    Field("valid_until", DATE, required=True, label="有效期至"),
    required=True, label="卫生许可证",
)
HYGIENE_LICENCE = Field(
    "hygiene_licence", ONE_OF, label="卫生许可证", doc="domestic manufacturers: the number, or {number, valid_from, valid_until}, "
    "or a list of them over time",
    alternatives=(Field("number", TEXT, required=True), LICENCE, Field("licences", MAPPINGS, fields=LICENCE.fields, min_items=1)),
)
PARTY_FIELDS = (
    Field("name", TEXT, label="单位名称"),
    Field("name_en", TEXT, label="英文名称", doc="required for the manufacturer of an imported product"),
    Field("address", TEXT, label="地址"),
    Field("country", TEXT, label="国家（地区）"),
    Field("legal_representative", TEXT, label="法定代表人"),
    Field("phone", TEXT, label="电话"),
    Field("postcode", TEXT, label="邮编"),
    Field("fax", TEXT, label="传真"),
    Field("contact", TEXT, label="联系人"),
    HYGIENE_LICENCE,
)
_RESPONSIBLE_REQUIRED = ("name", "address", "legal_representative", "phone", "postcode")
_MANUFACTURER_REQUIRED = ("name", "address", "legal_representative", "phone")


def _party(name: str, label: str, required: tuple[str, ...]) -> Field:
    fields = tuple(dataclasses.replace(f, required=f.name in required) for f in PARTY_FIELDS)
    return mapping(name, *fields, required=True, label=label)


PRODUCT = mapping(
    "product",
    Field("name", TEXT, required=True, label="产品名称"),
    Field("name_en", TEXT, label="英文名称", doc="required for imported products"),
    Field("form_model", TEXT, required=True, label="剂型/型号"),
    Field("type", TEXT, required=True, label="产品类别", doc="a product type of the rule set (消毒剂, 消毒器械 …)"),
    Field("usages", TEXTS, label="使用范围"),
    Field("facts", TEXTS, label="产品特性", doc="facts the rule set asks about (active ingredient …)"),
    Field("enterprise_standard", TEXT, required=True, label="执行标准"),
    Field("imported", FLAG, label="进口产品"),
    required=True, label="产品",
)
RESPONSIBLE_UNIT = _party("responsible_unit", "产品责任单位", _RESPONSIBLE_REQUIRED)
MANUFACTURER = _party("manufacturer", "实际生产企业", _MANUFACTURER_REQUIRED)
IMPORT = mapping(
    "import",
    Field("customs_declaration", TEXT, required=True, label="报关单"),
    Field("business_licence", TEXT, required=True, label="在华责任单位营业执照"),
    label="进口资料", doc="only for imported products (product.imported: true)",
)
ANSWERS_BLOCK = mapping(
    "answers",
    *(Field(q.key, TEXT, choices=tuple(ANSWERS), label=f"{q.number}. {q.label}") for q in QUESTIONS),
    required=True, label="评价判定", doc="是 or 否 to each question of Annex 3 that applies to the product",
)
CHANGE = Field(
    "changes", MAPPINGS, label="变更", doc="changes declared after the evaluation (第十二条/第十四条)",
    fields=(
        Field("change", TEXT, required=True, label="变更事项"),
        Field("date", DATE, required=True, label="变更日期"),
        Field("usages", TEXTS, label="新增使用范围"),
        Field("original_sample", FLAG, label="使用原送检样品"),
    ),
)
RENEWAL = mapping(
    "renewal",
    Field("previous_date", DATE, required=True, label="上次评价日期"),
    Field("previous_filing", TEXT, label="上次备案"),
    Field("sampling_exemptions", MAPPINGS, label="免于抽检", fields=(
        Field("item", TEXT, required=True, label="检验项目"),
        Field("inspection", TEXT, required=True, label="监督抽检"),
        Field("date", DATE, required=True, label="抽检日期"),
        Field("report", TEXT, required=True, label="抽检报告"),
        Field("conclusion", TEXT, required=True, label="结论"),
        Field("evidence", TEXTS, required=True, label="证明材料", doc="PDF or image files, relative to product.yaml"),
    )),
    label="延续评价", doc="a re-evaluation when the report's validity ends (第十四条)",
)
EVALUATION = mapping("evaluation", Field("date", DATE, required=True, label="评价日期"), ANSWERS_BLOCK, CHANGE, RENEWAL,
                     required=True, label="卫生安全评价")
COMPONENT = (Field("name", TEXT, label="化学名称"), Field("latin_name", TEXT, label="拉丁学名"),
             Field("cas", TEXT, label="CAS号"), Field("percent", NUMBER, required=True, minimum=0, maximum=100, label="含量（%）"))
EXTRACT = mapping(
    "extract",
    Field("plant_latin_name", TEXT, required=True, label="植物拉丁学名"),
    Field("plant_amount", TEXT, required=True, label="植物用量"),
    Field("process", TEXT, required=True, label="提取工艺"),
    Field("spec", TEXT, required=True, label="提取物规格"),
    label="植物提取物",
)
RAW_MATERIAL = (
    Field("kind", TEXT, choices=MATERIAL_KINDS, label="原料类型", doc="chemical (default), plant, composite or extract"),
    Field("name", TEXT, label="原料名称"),
    Field("cas", TEXT, label="CAS号"),
    Field("trade_name", TEXT, label="商品名"),
    Field("purity", TEXT, label="纯度"),
    Field("grade", TEXT, label="级别"),
    Field("amount", TEXT, required=True, label="投料量"),
    Field("percent", NUMBER, required=True, minimum=0, maximum=100, label="含量（%）"),
    Field("latin_name", TEXT, label="拉丁学名", doc="plant raw materials"),
    Field("components", MAPPINGS, fields=COMPONENT, label="组分", doc="composite raw materials"),
    EXTRACT,
)
FORMULA = mapping(
    "formula",
    Field("tolerance", NUMBER, minimum=0, maximum=5, label="允许偏差（%）", doc="how far the percentages may sum from 100"),
    Field("materials", MAPPINGS, required=True, min_items=1, fields=RAW_MATERIAL, label="原材料"),
    label="产品配方", doc="formula products only (附件1)",
)
REPORT_ITEM = (
    Field("item", TEXT, required=True, label="检验项目"),
    Field("tests", TEXTS, label="试验"),
    Field("result", TEXT, required=True, label="检验结果"),
    Field("conclusion", TEXT, required=True, choices=tuple(CONCLUSIONS), label="结论"),
)
TEST_REPORTS = Field(
    "test_reports", MAPPINGS, required=True, min_items=1, label="检验报告",
    fields=(
        Field("lab", TEXT, required=True, label="检验机构"),
        Field("number", TEXT, required=True, label="报告编号"),
        Field("date", DATE, required=True, label="报告日期"),
        Field("batch", TEXT, required=True, label="检验批号"),
        Field("items", MAPPINGS, required=True, min_items=1, fields=REPORT_ITEM, label="检验项目"),
    ),
)
MATERIALS_BLOCK = mapping(
    "materials",
    *(Field(m.key, TEXTS, label=m.heading, doc="PDF or image files, relative to product.yaml") for m in MATERIALS),
    required=True, label="评价资料",
)
FILING = mapping(
    "filing",
    Field("seal", TEXT, required=True, label="公章图片", doc="PNG, relative to product.yaml"),
    Field("x_mm", NUMBER, minimum=0, maximum=210, label="公章横坐标（mm）"),
    Field("y_mm", NUMBER, minimum=0, maximum=297, label="公章纵坐标（mm）"),
    Field("width_mm", NUMBER, minimum=10, maximum=80, label="公章宽度（mm）"),
    Field("cross_page_seal", FLAG, label="骑缝章"),
    Field("cross_page_width_mm", NUMBER, minimum=10, maximum=80, label="骑缝章宽度（mm）"),
    Field("cross_page_y_mm", NUMBER, minimum=0, maximum=257, label="骑缝章纵坐标（mm）"),
    required=True, label="备案装订",
)
PRODUCT_FILE = mapping(
    "product.yaml",
    Field("rule_set", TEXT, choices=tuple(available_rule_sets()), label="评价规则",
          doc="default: the rule set in force on the evaluation date"),
    PRODUCT, RESPONSIBLE_UNIT, MANUFACTURER, IMPORT, EVALUATION, FORMULA, TEST_REPORTS, MATERIALS_BLOCK, FILING,
    label="消毒产品卫生安全评价",
)
LABS_FILE = mapping(
    "labs.yaml",
    Field("labs", MAPPINGS, label="检验机构", fields=(
        Field("name", TEXT, required=True, label="机构名称"),
        Field("qualifications", MAPPINGS, required=True, min_items=1, label="资质认定", fields=(
            Field("certificate", TEXT, required=True, label="证书编号"),
            Field("valid_from", DATE, required=True, label="有效期起"),
            Field("valid_until", DATE, required=True, label="有效期至"),
            Field("scope", TEXTS, required=True, label="检验能力范围"),
        )),
    )),
    label="检验机构及其资质认定", doc="content/disinfectant/labs.yaml: the laboratories test reports may come from (第十一条)",
)
