"""`dossier disinfectant ...` commands: plan tests, check a product, build filings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from dossier.cli.params import DATE
from dossier.disinfectant.evaluation import evaluate
from dossier.disinfectant.requirements import make_selection, plan_tests
from dossier.disinfectant.ruleset import DEFAULT_RULE_SET, load_rule_set
from dossier.disinfectant.validity import expiry_date, validity_warnings
from dossier.disinfectant.workspace import load_checked, product_files
from dossier.errors import CheckFailed, UsageError
from dossier.pipeline.filings import build_filings

_LABELS = {"required": "+ required", "optional": "± optional", "not_required": "- not required"}


class _FactsHelp(click.Command):
    """A command whose --help ends with the vocabularies of the default rule set."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rules = load_rule_set(DEFAULT_RULE_SET)
        with formatter.section(f"Product types ({rules.name})"):
            formatter.write_text("  ".join(rules.types))
        with formatter.section("Usages (消毒剂 and 消毒器械 only)"):
            formatter.write_text("  ".join(rules.usages))
        with formatter.section("Facts"):
            formatter.write_dl([(f.name, f"{f.means} [{', '.join(f.types)}]") for f in rules.facts.values()])


@click.group()
def disinfectant() -> None:
    """Disinfection-product hygiene-safety evaluation and filing (消毒产品卫生安全评价)."""


@disinfectant.command("tests", cls=_FactsHelp)
@click.option("--type", "product_type", required=True, help="Product type (exact vocabulary, listed below).")
@click.option("--usage", "usages", multiple=True, help="Usage scope; repeat for several.")
@click.option("--fact", "facts", multiple=True, help="A fact the table notes depend on; repeat for several.")
@click.option("--rules", "rule_set", default=DEFAULT_RULE_SET, show_default=True, help="Rule set.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def tests_command(
    product_type: str, usages: tuple[str, ...], facts: tuple[str, ...], rule_set: str, as_json: bool
) -> None:
    """Show the class and the required test items (Annex 2) of a product before testing."""
    rules = load_rule_set(rule_set)
    plan = plan_tests(rules, make_selection(rules, product_type, list(usages), list(facts)))
    if as_json:
        click.echo(json.dumps(plan.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(f"class {plan.klass}: {plan.class_reason}")
    width = max(len(i.item) for i in plan.items)
    for item in plan.items:
        click.echo(f"{item.table}  {item.item}{'　' * (width - len(item.item))}  {_LABELS[item.requirement]}")
        for note in item.notes:
            click.echo(f"      {note}")


def _products(paths: tuple[Path, ...]) -> list:
    files = list(paths) or product_files(Path.cwd())
    if not files:
        raise UsageError(
            "no products: give PRODUCT.yaml files or run in a workspace with content/disinfectant/*/product.yaml"
        )
    return load_checked(files, Path.cwd())


@disinfectant.command("check")
@click.argument("products", nargs=-1, type=click.Path(path_type=Path))
@click.option("--today", type=DATE, help="Date for validity warnings (default: today).")
def check_command(products: tuple[Path, ...], today) -> None:
    """Evaluate products: completeness, results, one batch, answers, validity.

    Exits 1 when a product's conclusion is 否. Without arguments, checks every product under
    content/disinfectant/.
    """
    when = today or date.today()
    failures = []
    for product in _products(products):
        evaluation = evaluate(product)
        expires = expiry_date(product)
        click.echo(f"{product.shown}: {product.name}")
        click.echo(f"  class {evaluation.plan.klass}: {evaluation.plan.class_reason}")
        click.echo(
            f"  evaluated {product.evaluation_date}, valid {'until ' + str(expires) if expires else 'long-term'}"
        )
        click.echo(f"  检验项目是否齐全: {'是' if evaluation.complete else '否'}")
        click.echo(f"  评价结论: {'是' if evaluation.conclusion else '否'}")
        for line in evaluation.findings():
            click.echo(f"  - {line}")
            failures.append(f"{product.shown}: {line}")
        for warning in validity_warnings(product, when):
            click.echo(f"  warning: {warning}")
    if failures:
        raise CheckFailed([f"error: {f}" for f in failures])


@disinfectant.command("build")
@click.argument("products", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("build") / "disinfectant",
    show_default=True,
    help="Output directory (one folder per product).",
)
def build_command(products: tuple[Path, ...], out_dir: Path) -> None:
    """Build Annex 1-5 (.docx + PDF) and the bound, sealed filing PDF of products.

    Without arguments, builds every product under content/disinfectant/.
    """
    loaded = _products(products)
    written = build_filings(loaded, out_dir)
    for path in written:
        click.echo(str(path))
    for product in loaded:
        if not evaluate(product).conclusion:
            click.echo(
                f"warning: {product.shown}: evaluation conclusion is 否 (see 'dossier disinfectant check')", err=True
            )
