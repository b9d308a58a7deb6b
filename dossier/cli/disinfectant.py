"""`dossier disinfectant ...` commands: plan tests, check a product, export its forms, build filings."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dossier.cli.params import DATE
from dossier.disinfectant.evaluation import evaluate
from dossier.disinfectant.export import export
from dossier.disinfectant.inforce import rule_set_for, rule_set_warnings
from dossier.disinfectant.report import check_product
from dossier.disinfectant.requirements import make_selection, plan_tests
from dossier.disinfectant.ruleset import DEFAULT_RULE_SET, load_rule_set
from dossier.disinfectant.signoff import sign_off_decisions
from dossier.disinfectant.workspace import PRODUCT_FILE, PRODUCTS_DIR, load_checked, product_files
from dossier.errors import CheckFailed, UsageError, Warnings
from dossier.pipeline.filings import build_filings
from dossier.util.clock import today_in
from dossier.workspace.load import workspace_zone

_LABELS = {"required": "required", "optional": "optional", "not_required": "not required"}


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


def _warn(lines: list[str]) -> None:
    for line in lines:
        click.echo(f"warning: {line}", err=True)


@disinfectant.command("tests", cls=_FactsHelp)
@click.option("--type", "product_type", required=True, help="Product type (exact vocabulary, listed below).")
@click.option("--usage", "usages", multiple=True, help="Usage scope; repeat for several.")
@click.option("--fact", "facts", multiple=True, help="A fact the table notes depend on; repeat for several.")
@click.option("--renewal", is_flag=True, help="A renewal of a first-class report (第十四条): key items only.")
@click.option("--date", "when", type=DATE,
              help="Evaluation date (default: today in the workspace's time zone); chooses the rule set.")
@click.option("--rules", "rule_set", help="Rule set (default: the one in force on the evaluation date).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def tests_command(
    product_type: str, usages: tuple[str, ...], facts: tuple[str, ...], renewal: bool, when, rule_set: str | None,
    as_json: bool,
) -> None:
    """Show the class and the required test items (Annex 2) of a product before testing.

    Where a table note relaxes the table (+（按表2注⑥无适用项目）, 可不测定) the decision is
    listed for sign-off with the facts it rests on and the --fact that would change it.
    """
    day = when or today_in(workspace_zone(Path.cwd()))
    rules = load_rule_set(rule_set or rule_set_for(day))
    selection = make_selection(rules, product_type, list(usages), list(facts), renewal)
    plan = plan_tests(rules, selection)
    decisions = sign_off_decisions(rules, selection, facts, plan)
    warnings = rule_set_warnings(rules, day)
    if renewal and plan.klass not in rules.renewal.classes:
        raise UsageError(f"--renewal: {rules.renewal.article} renews class 1 products; this product is class {plan.klass}")
    if as_json:
        data = {"rule_set": rules.name, **plan.as_json(), "sign_off": [d.as_json() for d in decisions], "warnings": warnings}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        _warn(warnings)
        return
    click.echo(f"rule set {rules.name}; class {plan.klass}: {plan.class_reason}")
    width = max(len(i.item) for i in plan.items)
    for item in plan.items:
        click.echo(f"{item.table}  {item.item}{'　' * (width - len(item.item))}  {item.shown}  {_LABELS[item.requirement]}")
        for note in item.notes:
            click.echo(f"      {note}")
    if decisions:
        click.echo("sign-off needed (regulatory person):")
        for decision in decisions:
            first, *rest = decision.lines()
            click.echo(f"  {first}")
            for line in rest:
                click.echo(f"      {line}")
    _warn(warnings)


def _products(paths: tuple[Path, ...], warnings: Warnings | None = None) -> list:
    """The products named (or every one of the workspace), checked; their warnings go to `warnings`."""
    files = []
    for path in paths:  # a product.yaml, a product folder, or a product folder's name in the workspace
        if path.is_dir():
            path = path / PRODUCT_FILE
        elif not path.exists() and len(path.parts) == 1 and (Path.cwd() / PRODUCTS_DIR / path / PRODUCT_FILE).is_file():
            path = PRODUCTS_DIR / path / PRODUCT_FILE
        files.append(path)
    files = files or product_files(Path.cwd())
    if not files:
        raise UsageError(
            "no products: give PRODUCT.yaml files or run in a workspace with content/disinfectant/*/product.yaml"
        )
    return load_checked(files, Path.cwd(), warnings)


@disinfectant.command("check")
@click.argument("products", nargs=-1, type=click.Path(path_type=Path))
@click.option("--today", type=DATE, help="Date for validity and licence checks (default: today in the workspace's time zone).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def check_command(products: tuple[Path, ...], today, as_json: bool) -> None:
    """Evaluate products: completeness, results, one batch, answers, licence, laboratories, validity.

    Exits 1 when a product has findings (a conclusion of 否, an expired licence, a report from a
    laboratory whose qualification did not cover the item). Decisions that need sign-off and
    warnings do not change the exit status. Without arguments, checks every product under
    content/disinfectant/.
    """
    when = today or today_in(workspace_zone(Path.cwd()))
    reports = [check_product(product, when) for product in _products(products)]
    if as_json:
        click.echo(json.dumps({"ok": all(r.ok for r in reports), "products": [r.as_json() for r in reports]},
                              ensure_ascii=False, indent=2))
    else:
        for report in reports:
            for line in report.lines():
                click.echo(line)
    failures = [f"error: {r.product.shown}: {f}" for r in reports for f in r.findings]
    if failures:
        raise CheckFailed(failures)


@disinfectant.command("export")
@click.argument("product", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (for the online filing platform).")
def export_command(product: Path, as_json: bool) -> None:
    """Print every field of Annex 3 and Annex 4 of PRODUCT (product.yaml, its folder, or its name).

    With --json: {annex3: {cover, basic, questions, materials}, annex4: {fields, applicant}},
    each field as its label, product field and value.
    """
    warnings = Warnings()  # a rule set not in force, at the field of product.yaml that chose it
    (loaded,) = _products((product,), warnings)
    data = export(evaluate(loaded))
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for part in ("annex3", "annex4"):
            click.echo(data[part]["title"])
            for key in ("cover", "basic", "fields", "applicant"):
                for field in data[part].get(key, ()):
                    group = field.get("group")
                    prefix = f"{group}/" if group and group != field["label"] else ""
                    click.echo(f"  {prefix}{field['label'].rstrip('：')}：{field['value']}")
            for question in data[part].get("questions", ()):
                click.echo(f"  {question['number']}. {question['label']}：{question['answer'] or ''}")
    for line in warnings.lines():
        click.echo(line, err=True)


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
    warnings = Warnings()  # a rule set not in force, at the field of product.yaml that chose it
    loaded = _products(products, warnings)
    written = build_filings(loaded, out_dir)
    for path in written:
        click.echo(str(path))
    for line in warnings.lines():
        click.echo(line, err=True)
    for product in loaded:
        if not evaluate(product).conclusion:
            _warn([f"{product.shown}: evaluation conclusion is 否 (see 'dossier disinfectant check')"])
