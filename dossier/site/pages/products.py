"""The disinfectant products page: class, required test items and how the reports cover them, validity."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dossier.disinfectant.evaluation import evaluate
from dossier.disinfectant.model import Product
from dossier.disinfectant.renewal import PASSED
from dossier.disinfectant.requirements import classify
from dossier.disinfectant.validity import expiry_date, validity_warnings
from dossier.disinfectant.workspace import load_products
from dossier.site.model import SiteData
from dossier.site.registry import Overdue, Page, overdue, page

REQUIREMENTS = {"required": "必做", "optional": "选做", "not_required": "不做"}


def product_view(product: Product, data: SiteData) -> dict[str, Any]:
    """One product as the page shows it (国卫监督发〔2014〕36号: class, Annex 2 items, Art. 14 validity)."""
    evaluation = evaluate(product)
    klass, _ = classify(product.rules, product.selection)
    expires = expiry_date(product)
    warn_days = product.rules.warn_days.get(klass, 0)
    if expires is None:
        validity, validity_state = "长期有效", "ok"
    elif data.as_of >= expires:
        validity, validity_state = f"已于 {expires} 到期", "expired"
    elif data.as_of >= expires - timedelta(days=warn_days):
        validity, validity_state = f"{expires} 到期（{(expires - data.as_of).days} 天后）", "due"
    else:
        validity, validity_state = f"有效期至 {expires}", "ok"
    items = []
    for cover in evaluation.coverage:
        requirement = cover.requirement
        if requirement.requirement == "not_required" and not cover.entries:
            continue
        reports = "、".join(sorted({report.number for report, _ in cover.entries}))
        conforms = all(item.conforms for _, item in cover.entries) if cover.entries else None
        exemption = cover.exemption
        if exemption is not None and not cover.entries:  # renewal: a national sampling inspection instead (第十四条)
            reports = f"{exemption.inspection}（{exemption.report}）"
            conforms = exemption.conclusion in PASSED
        items.append({"table": requirement.table, "item": requirement.item, "requirement": REQUIREMENTS[requirement.requirement],
                      "reports": reports, "covered": cover.covered, "conforms": conforms,
                      "exempt": exemption is not None and not cover.entries})
    return {
        "slug": product.slug,
        "name": product.name,
        "type": product.product_type,
        "usages": "、".join(product.usages),
        "klass": klass,
        "class_reason": evaluation.plan.class_reason,
        "evaluation_date": product.evaluation_date.isoformat(),
        "expires": expires.isoformat() if expires else None,
        "validity": validity,
        "validity_state": validity_state,
        "conclusion": "是" if evaluation.conclusion else "否",
        "findings": evaluation.findings(),
        "warnings": validity_warnings(product, data.as_of),
        "items": items,
    }


def _products(data: SiteData) -> list[Product]:
    """The workspace's products, loaded once per site build, in folder order."""
    if "products" not in data.extra:
        data.extra["products"] = sorted(load_products(data.ws.root), key=lambda p: p.slug)
    return data.extra["products"]


@page("disinfectant", "消毒产品", order=50)
def products_page(data: SiteData) -> list[Page]:
    """disinfectant.html, when the workspace has products (content/disinfectant/*/product.yaml)."""
    products = _products(data)
    if not products:
        return []
    views = [product_view(product, data) for product in products]
    return [Page("disinfectant.html", "disinfectant.html.j2", "消毒产品卫生安全评价", {"products": views})]


@overdue("evaluation", "评价报告到期", order=30)
def expired_products(data: SiteData) -> list[Overdue] | None:
    """Products whose evaluation report has expired on the site's day (2014 rules Art. 14); None without products."""
    if not _products(data):
        return None
    out = []
    for product in _products(data):
        expires = expiry_date(product)
        if expires is not None and data.as_of >= expires:
            out.append(Overdue(product.name, "disinfectant.html", f"卫生安全评价报告已于 {expires} 到期，需重新评价并备案"))
    return out
