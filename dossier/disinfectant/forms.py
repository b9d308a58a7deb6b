"""The wording of Annexes 1 and 3-5, exactly as the regulation prints it.

Documents take every label from here, and the tests check each label appears verbatim in the
text extracted from the PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass

# 附件1 配方的书写格式和要求 (the table a formula is written in)
ANNEX1_TITLE = "产品配方"
ANNEX1_HEADERS = (
    "原材料名称",
    "CAS号",
    "原材料商品名称",
    "原材料纯度",
    "原材料级别",
    "原材料投加量",
    "原材料投加百分比（%）",
)

# 附件2 检验项目及要求
ANNEX2_TITLE = "检验项目及要求"
ANNEX2_LEGEND = "“+”为必须做项目，“-”为不做项目，“±”为选做项目。"

# 附件3 消毒产品卫生安全评价报告
ANNEX3_TITLE = "消毒产品卫生安全评价报告"
ANNEX3_COVER = ("产品名称：", "剂型/型号：", "产品责任单位名称（盖章）：", "评价日期：")
ANNEX3_PART1 = "一、基本情况"
ANNEX3_PART2 = "二、评价资料"
ANNEX3_BASIC = (
    ("产品责任单位名称", "产品责任单位地址"),
    ("法定代表人/责任人", "电话 / 邮编"),
    ("实际生产单位名称", "实际生产单位地址"),
    ("实际生产企业卫生许可证号", "法定代表人/责任人"),
    ("进口产品报关单号", None),
)
ANNEX3_PLEDGE = (
    "承诺：本单位对消毒产品的卫生安全评价结论负责，保证所提供标签（铭牌）、说明书、检验报告（含结论）、"
    "企业标准或质量标准、产品配方、消毒器械元器件、结构图真实、有效，与所生产销售的产品相符，并承担相应的法律责任。"
)
ANNEX3_REMARKS_TITLE = "备注："
ANNEX3_REMARKS = (
    "1. 经营使用单位索证时，产品责任单位提供的卫生安全评价报告资料包括标签（铭牌）、说明书、检验报告结论、"
    "国产产品生产企业卫生许可证、进口产品生产国（地区）允许生产销售的证明文件及报关单；",
    "2. 卫生安全评价报告备案时，产品责任单位需提供一式两份，一份为卫生计生行政部门存档，一份为企业存档；",
    "3. （一）、（三）、（四）和（五）为原件或复印件，（二）、（六）和（七）为原件。复印件应由产品责任单位加盖公章；",
    "4. 本表应使用A4规格纸张打印，资料按顺序排列，逐页加盖产品责任单位公章，并装订成册。",
)


@dataclass(frozen=True)
class MaterialSection:
    """One of the evaluation materials (一)-(七) and when it is part of the filing."""

    key: str  # field under `materials:` in the product YAML
    number: str
    title: str
    scope: str  # all | domestic | import | formula | device

    @property
    def heading(self) -> str:
        """Number and title without the closing punctuation, e.g. （一）标签（铭牌）、说明书."""
        return f"{self.number}{self.title.rstrip('；。')}"


MATERIALS = (
    MaterialSection("label_manual", "（一）", "标签（铭牌）、说明书；", "all"),
    MaterialSection("test_reports", "（二）", "检验报告（含结论）；", "all"),
    MaterialSection("standard", "（三）", "企业标准或质量标准；", "all"),
    MaterialSection("hygiene_licence", "（四）", "国产产品生产企业卫生许可证；", "domestic"),
    MaterialSection("import_documents", "（五）", "进口产品生产国（地区）允许生产销售的证明文件及报关单；", "import"),
    MaterialSection("formula", "（六）", "产品配方；", "formula"),
    MaterialSection("device_structure", "（七）", "消毒器械元器件、结构图。", "device"),
)


@dataclass(frozen=True)
class Question:
    """One judgement of Annex 3 part 一. `key` names the evaluator's answer, None when data decides."""

    number: int
    label: str
    key: str | None
    scope: str = "all"  # all | domestic | formula | device
    acceptable: bool = True  # the answer that allows a 是 conclusion


QUESTIONS = (
    Question(1, "该产品属于哪类产品", None),
    Question(2, "该产品名称是否符合《健康相关产品命名规定》和《消毒产品标签说明书管理规范》的要求", "name_compliant"),
    Question(3, "标签（铭牌）、说明书是否符合《消毒产品标签说明书管理规范》及相关标准、规范的要求", "label_compliant"),
    Question(4, "检验项目是否齐全", None),
    Question(5, "检验结果是否符合要求", None),
    Question(6, "产品企业标准（质量标准）是否符合要求", "standard_compliant"),
    Question(7, "该产品的类别是否与企业卫生许可的类别相适应", "licence_category_matches", "domestic"),
    Question(8, "产品配方是否添加了禁止使用的原材料", "prohibited_materials_added", "formula", acceptable=False),
    Question(9, "产品配方是否与实际生产产品配方一致", "formula_matches_production", "formula"),
    Question(10, "器械结构图是否与产品实际结构一致", "structure_matches_product", "device"),
    Question(11, "所用原材料是否合格", "materials_qualified"),
    Question(12, "原材料所用量是否符合相关法定要求", "material_amounts_compliant", "formula"),
    Question(13, "评价结论：消毒产品是否符合相关法规、规范、标准等法定要求", None),
)
CLASS_CHOICES = ("第一类", "第二类")
YES, NO = "是", "否"

# 附件4 消毒产品卫生安全评价报告备案登记表
ANNEX4_TITLE = "消毒产品卫生安全评价报告备案登记表"
ANNEX4_LABELS = (
    "产品名称",
    "中文",
    "英文",
    "剂型/型号",
    "产品类别",
    "生产企业",
    "中文名称",
    "英文名称",
    "地址",
    "生产国（地区）",
    "联系电话",
    "联系人",
    "在华责任单位",
    "名称",
    "传真",
    "邮编",
)
ANNEX4_GUARANTEE = (
    "保证书：本报告中内容和所附资料均真实、合法、有效，复印件和原件一致，与生产销售产品相符。"
    "如有不实之处，我单位愿负相应法律责任，并承担由此造成的一切后果。"
)
ANNEX4_SIGN = "产品责任单位（签章）　法定代表人（签字）　年　月　日"
ANNEX4_APPLICANT = ("申请人：", "申请日期：")
ANNEX4_NOTES = ("注：", "1. 进口产品须填写产品英文名称。", "2. 产品类别填写第一类产品或第二类产品。")
ANNEX4_CLASS = {1: "第一类产品", 2: "第二类产品"}

# 附件5 消毒产品卫生安全评价报告备案凭证
ANNEX5_TITLE = "消毒产品卫生安全评价报告备案凭证"
ANNEX5_RECEIVED = ("收到你单位销售的", "《消毒产品卫生安全评价报告》。")
ANNEX5_FIELDS = (
    "产品剂型/型号：",
    "产品类别：",
    "产品执行标准号（国产产品为备案企业标准号）：",
    "生产企业名称：",
    "生产企业地址：",
    "生产国（地区）：",
    "在华责任单位名称：",
    "单位地址及联系电话：",
    "法定代表人：",
    "国产消毒产品生产企业卫生许可证号：",
    "工商营业执照号（限进口产品）：",
    "进口产品报关单号：",
)
ANNEX5_DISCLAIMER = (
    "（省级卫生计生行政部门仅对该产品的卫生安全评价报告进行形式审查，备案凭证不是产品质量的证明文件。"
    "第一类产品卫生安全评价报告有效期为四年）"
)
ANNEX5_SEAL = "（盖章）　年　月　日"
