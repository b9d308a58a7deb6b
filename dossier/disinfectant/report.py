"""The report of `dossier disinfectant check` for one product: the evaluation's findings, the
licence and laboratory findings, the decisions that need sign-off, and the warnings (rules in
force, validity, renewal timing). Findings make the check fail; the forms never show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dossier.disinfectant.compliance import lab_findings, licence_findings
from dossier.disinfectant.evaluation import Evaluation, evaluate
from dossier.disinfectant.inforce import rule_set_warnings
from dossier.disinfectant.model import Product
from dossier.disinfectant.validity import add_years, expiry_date, validity_warnings


@dataclass(frozen=True)
class ProductReport:
    """Everything `check` says about one product."""

    product: Product
    evaluation: Evaluation
    expires: date | None
    findings: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when nothing fails the check (warnings and sign-off decisions do not)."""
        return not self.findings

    def lines(self) -> list[str]:
        """The report as printed by `check`."""
        p, e = self.product, self.evaluation
        kind = f"renewal ({p.rules.renewal.article}) of the evaluation of {p.renewal.previous_date}, " if p.renewal else ""
        lines = [
            f"{p.shown}: {p.name}",
            f"  rule set {p.rules.name}: {p.rules.title}",
            f"  class {e.plan.klass}: {e.plan.class_reason}",
            f"  {kind}evaluated {p.evaluation_date}, valid {'until ' + str(self.expires) if self.expires else 'long-term'}",
            f"  检验项目是否齐全: {'是' if e.complete else '否'}",
            f"  评价结论: {'是' if e.conclusion else '否'}",
        ]
        lines += [f"  - {line}" for line in self.findings]
        if e.decisions:
            lines.append("  sign-off needed (regulatory person):")
            for decision in e.decisions:
                first, *rest = decision.lines()
                lines += [f"    {first}", *(f"      {line}" for line in rest)]
        lines += [f"  warning: {w}" for w in self.warnings]
        return lines

    def as_json(self) -> dict:
        """The JSON shape of one product in `check --json`."""
        p, e = self.product, self.evaluation
        return {
            "product": p.shown,
            "name": p.name,
            "rule_set": p.rules.name,
            "class": e.plan.klass,
            "class_reason": e.plan.class_reason,
            "evaluation_date": str(p.evaluation_date),
            "renewal": {"previous_date": str(p.renewal.previous_date)} if p.renewal else None,
            "valid_until": str(self.expires) if self.expires else None,
            "complete": e.complete,
            "conclusion": e.conclusion,
            "ok": self.ok,
            "findings": list(self.findings),
            "sign_off": [d.as_json() for d in e.decisions],
            "warnings": list(self.warnings),
        }


def _renewal_warnings(product: Product, klass: int) -> list[str]:
    renewal, years = product.renewal, product.rules.validity_years.get(klass)
    if renewal is None or not years:
        return []
    expired = add_years(renewal.previous_date, years)
    if product.evaluation_date < expired:
        return []
    return [
        f"renewal evaluated {product.evaluation_date}, after the previous report expired on {expired} "
        f"({product.rules.renewal.article}: re-evaluate before expiry; 第十七条（二）)"
    ]


def check_product(product: Product, today: date) -> ProductReport:
    """Evaluate `product` and gather every finding and warning as of `today`."""
    evaluation = evaluate(product)
    licence, licence_warn = licence_findings(product, today)
    labs, labs_warn = lab_findings(product)
    warnings = [
        *rule_set_warnings(product.rules, product.evaluation_date),
        *validity_warnings(product, today),
        *_renewal_warnings(product, evaluation.plan.klass),
        *licence_warn,
        *labs_warn,
    ]
    findings = (*evaluation.findings(), *licence, *labs)
    return ProductReport(product, evaluation, expiry_date(product), tuple(findings), tuple(warnings))
