"""The GMP coverage and external-document pages of `dossier site`, and what they add to document pages and the dashboard."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from pathlib import Path

import pytest
from lxml import html

from dossier.pipeline.coverage import declarations_of
from dossier.pipeline.load import load_checked
from dossier.site.model import site_data
from dossier.site.pages.coverage import coverage_gaps, coverage_page, met_articles
from dossier.site.pages.external import cited_external, external_page, outdated_citations
from tests.conftest import copy_workspace, run_cli

WITHDRAWN = "总局令第47号"  # marked withdrawn in the copy: the documents citing it must be reviewed


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    root = copy_workspace(tmp_path_factory.mktemp("coverage-site"))
    register = root / "external.yaml"
    text = register.read_text(encoding="utf-8")
    entry = text.index(f"key: {WITHDRAWN}")
    status = text.index("status: current", entry)
    register.write_text(text[:status] + "status: withdrawn" + text[status + len("status: current"):], encoding="utf-8")
    result = run_cli("site", str(root))
    assert result.exit_code == 0, result.output
    return root


def _page(root: Path, path: str):
    return html.fromstring((root / "build" / "site" / path).read_bytes())


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.text_content()).strip()


def test_coverage_rows_are_the_matrix_dossier_coverage_prints(example: Path) -> None:
    result = run_cli("coverage", str(example), "--json", "--no-files")
    matrix = json.loads(result.output)
    rows = _page(example, "coverage.html").xpath('//table[@id="coverage"]/tbody/tr')
    assert len(rows) == len(matrix["articles"]) == 132
    labels = {"covered": "已覆盖", "not_applicable": "不适用", "gap": "缺口", "informative": "原则性条款"}
    for tr, article in zip(rows, matrix["articles"]):
        cells = tr.xpath("./td")
        assert tr.get("id") == f"article-{article['article']}"
        assert re.fullmatch(r"第[一二三四五六七八九十百零]+条", _text(cells[0])) and _text(cells[0]) == article["label"]
        assert tr.get("data-status") == article["status"]
        assert _text(cells[4]).startswith(labels[article["status"]])
        if article["reason"]:
            assert article["reason"] in _text(cells[4])
        linked = [a.text_content().split()[0] for a in cells[5].xpath(".//a")]
        assert linked == [d["id"] for d in article["documents"]]
        for doc, div in zip(article["documents"], cells[5].xpath('./div[contains(@class, "covering")]')):
            assert f"{doc['revision']}版" in _text(div)
    summary = _text(_page(example, "coverage.html").xpath('//p[@id="coverage-summary"]')[0])
    assert summary.startswith(f"条款 132 条：已覆盖 {matrix['summary']['covered']}，不适用 {matrix['summary']['not_applicable']}，")


def test_external_page_lists_every_register_entry_and_who_cites_it(example: Path) -> None:
    ws = load_checked(example, released_unchanged=False)
    rows = {tr.get("id"): tr for tr in _page(example, "external.html").xpath('//table[@id="external"]/tbody/tr')}
    assert list(rows) == [f"ext-{key}" for key in ws.externals]
    for key, entry in ws.externals.items():
        cells = [_text(td) for td in rows[f"ext-{key}"].xpath("./td")]
        assert cells[:3] == [entry.number, entry.title, entry.type]
    withdrawn = rows[f"ext-{WITHDRAWN}"]
    assert withdrawn.get("data-status") == "withdrawn" and "已废止" in _text(withdrawn)
    citing = [a.text_content().split()[0] for a in withdrawn.xpath("./td[last()]//a")]
    assert "QP-04" in citing and len(withdrawn.xpath('.//div[@class="outdated"]')) == len(citing)
    current = rows["ext-总局令第53号"] if "ext-总局令第53号" in rows else next(r for r in rows.values() if r.get("data-status") == "current")
    assert not current.xpath('.//div[@class="outdated"]')


def test_document_page_lists_its_covers_and_cited_external_documents(example: Path) -> None:
    ws = load_checked(example, released_unchanged=False)
    decl = declarations_of(ws)
    claimed = [c.article for c in decl.claims[decl.primary] if c.document == "QP-04"]
    assert claimed
    page = _page(example, "documents/QP-04.html")
    links = page.xpath('//ul[@id="met-articles"]/li/a/@href')
    assert links == [f"../coverage.html#article-{a}" for a in claimed]
    cited = page.xpath('//ul[@id="cited-external"]/li')
    assert any(WITHDRAWN in li.xpath("./a/@href")[0] and "引用已失效" in _text(li) for li in cited)


def test_dashboard_lists_documents_citing_a_withdrawn_external_document(example: Path) -> None:
    items = [_text(li) for li in _page(example, "index.html").xpath('//ul[@id="overdue-list"]/li')]
    assert any(item.startswith("QP-04 ") and f"引用的 {WITHDRAWN} 已废止" in item for item in items)
    assert not any("缺少符合要求的现行文件" in item for item in items)  # the example meets every article requiring a document


def test_no_coverage_declared_and_no_register_means_no_pages(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    for path in (root / "content").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text("".join(line for line in text.splitlines(keepends=True) if not line.startswith("covers:")), encoding="utf-8")
    config = root / "dossier.yaml"
    config.write_text(re.sub(r"\ncoverage:\n(?:[ #].*\n|\n)*", "\n", config.read_text(encoding="utf-8")), encoding="utf-8")
    ws = load_checked(root, released_unchanged=False)
    data = site_data(dataclasses.replace(ws, externals={}), date(2026, 11, 30))
    assert coverage_page(data) == [] and coverage_gaps(data) is None
    assert external_page(data) == [] and outdated_citations(data) is None
    view = data.documents["QP-04"]
    assert met_articles(data, view) is None and cited_external(data, view) is None
