"""What `check` finds beyond the form's answers: the manufacturer's hygiene licence (第五条; valid on
the evaluation date and today) and each laboratory's qualification (第十一条: valid on the report
date and covering the item).

Each check returns (findings, warnings): findings fail `dossier disinfectant check` (exit 1),
warnings say what could not be checked. Nothing here is written into the forms.
"""

from __future__ import annotations

from datetime import date, timedelta

from dossier.disinfectant.credentials import LABS_FILE, licence_on
from dossier.disinfectant.model import Product

LICENCE_WARN_DAYS = 90


def licence_findings(product: Product, today: date) -> tuple[list[str], list[str]]:
    """The domestic manufacturer's hygiene licence on the evaluation date and today."""
    if product.imported or not product.licences:
        return [], []
    findings, warnings = [], []
    for licence in product.licences:
        if licence.valid_until is None:
            warnings.append(
                f"hygiene licence {licence.number}: validity not recorded (manufacturer.hygiene_licence "
                "{number, valid_from, valid_until}); it is not checked"
            )
    dated = [lic for lic in product.licences if lic.valid_until is not None]
    if not dated:
        return findings, warnings
    periods = "、".join(f"{lic.number}（{lic.valid_from}至{lic.valid_until}）" for lic in dated)
    if licence_on(product.licences, product.evaluation_date) is None:
        findings.append(f"卫生许可证：评价日期{product.evaluation_date}无有效的卫生许可证（{periods}）")
    latest = dated[-1]
    assert latest.valid_until is not None
    if latest.valid_until < today:
        findings.append(
            f"卫生许可证{latest.number}已于{latest.valid_until}到期（今天{today}）：记录换发的卫生许可证"
            "（manufacturer.hygiene_licence）"
        )
    elif latest.valid_until - timedelta(days=LICENCE_WARN_DAYS) <= today:
        warnings.append(f"hygiene licence {latest.number} expires on {latest.valid_until}; record the renewed licence")
    return findings, warnings


def lab_findings(product: Product) -> tuple[list[str], list[str]]:
    """Every reported item against its laboratory's qualification on the report date."""
    if product.labs is None:
        return [], [f"no {LABS_FILE} beside the product folders: the laboratories' qualifications (第十一条) are not checked"]
    findings = []
    for report in product.reports:
        lab = product.labs.labs.get(report.lab)
        where = f"检验机构{report.lab}（报告{report.number}，{report.date}）"
        if lab is None:
            findings.append(f"{where}：{product.labs.shown}未记录其资质认定（第十一条）")
            continue
        valid = [q for q in lab.qualifications if q.valid_from <= report.date <= q.valid_until]
        if not valid:
            earlier = [q for q in lab.qualifications if q.valid_until < report.date]
            detail = (
                f"资质认定证书{earlier[-1].certificate}已于{earlier[-1].valid_until}到期"
                if earlier
                else "报告日期无有效的资质认定证书"
            )
            findings.append(f"{where}：{detail}（第十一条）")
            continue
        for item in dict.fromkeys(i.item for i in report.items):
            if not any(item in q.scope for q in valid):
                certificates = "、".join(q.certificate for q in valid)
                findings.append(f"{where}：资质认定证书{certificates}的检验能力范围不含“{item}”（第十一条）")
    return findings, []
