"""`dossier site` without a browser: pages, links, marks, reproducibility, the registries (no LibreOffice)."""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path

import pytest
from lxml import html
from pypdf import PdfReader

from dossier.control.status import workspace_status
from dossier.pipeline.load import load_checked
from dossier.site import registry
from dossier.site.build import build_site
from dossier.site.registry import Page, Section
from dossier.site.serve import site_server
from tests.conftest import copy_workspace, run_cli, workspace_today
from tests.site_support import AS_OF, recorded_workspace


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    root = recorded_workspace(tmp_path_factory.mktemp("recorded"))
    result = run_cli("site", str(root), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    return root


def _page(root: Path, path: str):
    return html.fromstring((root / "build" / "site" / path).read_bytes())


def _rows(root: Path) -> dict[str, dict[str, str]]:
    page = _page(root, "index.html")
    rows = {}
    for tr in page.xpath('//table[@id="master-list"]/tbody/tr'):
        cells = {td.get("class").split()[0]: td.text_content().strip() for td in tr.xpath("./td")}
        cells["links"] = tr.xpath('.//a[contains(@class, "current-pdf")]/@href')
        rows[tr.get("data-id")] = {**cells, "state": tr.get("data-state")}
    return rows


def test_master_list_rows_are_the_status_rows(recorded: Path) -> None:
    ws = load_checked(recorded, released_unchanged=False)
    status = {row["id"]: row for row in workspace_status(ws, AS_OF)}
    rows = _rows(recorded)
    assert list(rows) == sorted(status)
    for doc_id, row in rows.items():
        expected = status[doc_id]
        assert row["title"] == expected["title"]
        assert row["in-force"] == (expected["in_force"] or "—")
        assert row["department"] == (expected["department"] or "—")
        assert row["review"].split()[0] == (expected["next_review"] or "—")
        assert ("逾期" in row["review"]) == expected["review_overdue"]
    recorded_states = {"QP-04": "effective", "QP-05": "approved", "QP-12": "effective", "WI-12-01": "obsolete"}
    states = {doc_id: row["state"] for doc_id, row in rows.items()}
    assert {d: s for d, s in states.items() if s != "draft"} == recorded_states  # every other starter document is a draft
    assert rows["QP-04"]["effective"] == "2027-01-10" and rows["QP-05"]["effective"] == "2027-02-01"
    # only documents with a revision in force link a current PDF
    assert {d for d, r in rows.items() if r["links"]} == {"QP-04", "QP-12"}
    assert rows["QP-04"]["links"] == ["files/QP-04/B/QP-04.pdf"]


def test_revised_document_links_its_newest_effective_revision_and_voids_the_old_one(recorded: Path) -> None:
    page = _page(recorded, "documents/QP-04.html")
    current = page.xpath('//a[contains(@class, "current-pdf")]')
    assert len(current) == 1 and current[0].get("href") == "../files/QP-04/B/QP-04.pdf"
    site = recorded / "build" / "site"
    assert (site / "files/QP-04/B/QP-04.pdf").read_bytes() == (recorded / "releases/QP-04/B/QP-04.pdf").read_bytes()
    history = {tr.get("data-revision"): tr for tr in page.xpath('//table[@class="history"]/tbody/tr')}
    assert history["A"].get("data-state") == "superseded" and history["B"].get("data-state") == "effective"
    assert history["A"].xpath('.//a[@class="void-pdf"]/@href') == ["../files/QP-04/A/QP-04-A-void.pdf"]
    void = PdfReader(site / "files/QP-04/A/QP-04-A-void.pdf")
    original = PdfReader(recorded / "releases/QP-04/A/QP-04.pdf")
    assert len(void.pages) == len(original.pages)
    for page_obj in void.pages:
        assert b"/GSvoid gs" in page_obj.get_contents().get_data()  # the 作废 mark on every page
    assert "QP-04 A" in void.pages[0].extract_text()  # the archived page is still there under the mark
    assert not (site / "files/QP-04/A/QP-04.pdf").exists()  # an unmarked old revision is never published


def test_withdrawn_document_is_marked_and_has_no_current_link(recorded: Path) -> None:
    page = _page(recorded, "documents/WI-12-01.html")
    banner = page.xpath('//*[@id="withdrawn"]')[0].text_content()
    assert "已作废" in banner and "2027-01-08" in banner and "工艺变更，合并入QP-12" in banner and "2037-01-08" in banner
    assert page.xpath('//a[contains(@class, "current-pdf")]') == []
    assert page.xpath('//*[@id="doc-state"]')[0].text_content() == "已作废"
    assert page.xpath('//table[@class="history"]//a/@href') == ["../files/WI-12-01/A/WI-12-01-A-void.pdf"]
    recall = page.xpath('//table[@class="copies"]/tbody/tr[contains(@class, "to-recall")]')
    assert len(recall) == 3


def test_drafts_and_pending_revisions_are_never_current(recorded: Path) -> None:
    for doc_id in ("QM-01", "QR-12-01", "VP-12-01", "QP-05"):
        page = _page(recorded, f"documents/{doc_id}.html")
        assert page.xpath('//a[contains(@class, "current-pdf")]') == [], doc_id
        assert page.xpath('//*[@id="no-current"]'), doc_id
    assert "2027-02-01" in _page(recorded, "documents/QP-05.html").xpath('//*[@id="no-current"]')[0].text_content()
    assert not (recorded / "build/site/files/QP-05").exists()


def test_citations_both_ways(recorded: Path) -> None:
    from dossier.markdown.queries import cited_ids

    ws = load_checked(recorded, released_unchanged=False)
    page = _page(recorded, "documents/QP-04.html")
    cites = sorted(d for d in cited_ids(ws.documents["QP-04"]) if d in ws.documents and d != "QP-04")
    cited_by = sorted(d for d, doc in ws.documents.items() if d != "QP-04" and "QP-04" in cited_ids(doc))
    assert "QP-05" in cites and "QP-12" in cited_by
    assert page.xpath('//ul[@id="cites"]/li/a/@href') == [f"../documents/{d}.html" for d in cites]
    assert page.xpath('//ul[@id="cited-by"]/li/a/@href') == [f"../documents/{d}.html" for d in cited_by]


def test_dashboard_counts(recorded: Path) -> None:
    page = _page(recorded, "index.html")
    states = {r.get("data-state"): int(r.get("data-count")) for r in page.xpath('//svg[@id="chart-states"]/rect')}
    documents = len(list((recorded / "content").glob("*.yaml")))
    assert states == {"effective": 2, "approved": 1, "draft": documents - 4, "obsolete": 1}
    tiles = {r.get("data-kind"): int(r.get("data-count")) for r in page.xpath('//svg[@id="chart-overdue"]/rect')}
    assert tiles == {"review": 1, "recall": 2, "validation": 3, "evaluation": 0, "coverage": 0, "external": 0}
    months = [(r.get("data-month"), int(r.get("data-count"))) for r in page.xpath('//svg[@id="chart-reviews"]/rect')]
    assert months[0] == ("逾期", 1) and len(months) == 13 and sum(c for _, c in months[1:]) == 0
    assert [a.get("href") for a in page.xpath('//ul[@id="overdue-list"]/li/a')] == [
        "documents/QP-12.html", "documents/QP-04.html", "documents/WI-12-01.html",
        "validation.html#object-PW-01", "validation.html#object-EO-01", "validation.html#object-SW-01"]


def test_same_workspace_and_day_give_the_same_bytes_and_no_external_request(recorded: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run_cli("site", str(recorded), "--as-of", AS_OF.isoformat(), "--out", str(again)).exit_code == 0
    first = recorded / "build" / "site"
    names = sorted(str(p.relative_to(first)) for p in first.rglob("*") if p.is_file())
    assert names == sorted(str(p.relative_to(again)) for p in again.rglob("*") if p.is_file())
    assert all((first / n).read_bytes() == (again / n).read_bytes() for n in names)
    for name in names:
        if name.endswith((".html", ".css", ".js")):
            text = (first / name).read_text(encoding="utf-8")
            assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), name
            assert "url(" not in text and "@import" not in text and "fetch(" not in text, name


def test_rebuild_replaces_the_site_and_refuses_a_foreign_folder(recorded: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert run_cli("site", str(recorded), "--as-of", AS_OF.isoformat(), "--out", str(out)).exit_code == 0
    (out / "documents" / "QP-99.html").write_text("stale", encoding="utf-8")
    assert run_cli("site", str(recorded), "--as-of", AS_OF.isoformat(), "--out", str(out)).exit_code == 0
    assert not (out / "documents" / "QP-99.html").exists()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run_cli("site", str(recorded), "--out", str(foreign))
    assert result.exit_code == 2 and "not a site dossier wrote" in result.output
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_archive_file_that_differs_from_the_ledger_is_not_published(recorded: Path, tmp_path: Path) -> None:
    root = recorded_workspace(tmp_path / "ws")
    pdf = root / "releases" / "QP-04" / "B" / "QP-04.pdf"
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"\n% edited\n")
    result = run_cli("site", str(root), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    assert "releases/QP-04/B/QP-04.pdf: the archived file differs from the ledger" in result.output
    assert not (root / "build" / "site").exists()


def test_example_without_releases_and_without_products(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    result = run_cli("site", str(root), "--as-of", "2026-12-15")
    assert result.exit_code == 0, result.output
    assert all(r["state"] == "draft" and not r["links"] for r in _rows(root).values())
    assert _page(root, "index.html").xpath('//nav/a/text()') == ["受控文件清单", "验证状态", "GMP条款对照", "外来文件", "消毒产品"]
    bare = tmp_path / "bare"
    assert run_cli("init", str(bare)).exit_code == 0
    assert run_cli("site", str(bare), "--as-of", "2026-12-15").exit_code == 0
    page = _page(bare, "index.html")
    assert page.xpath('//nav/a/text()') == ["受控文件清单"]  # no products, no plan: no such pages, no tiles
    assert not (bare / "build" / "site" / "disinfectant.html").exists()
    assert not (bare / "build" / "site" / "validation.html").exists()
    assert [r.get("data-kind") for r in page.xpath('//svg[@id="chart-overdue"]/rect')] == ["review", "recall"]


def test_bad_input_is_reported_and_nothing_written(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    assert run_cli("site", str(root), "--as-of", "2027-13-01").exit_code == 2
    doc = root / "content" / "QP-04.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("kind: procedure", "kind: procedur"), encoding="utf-8")
    result = run_cli("site", str(root))
    assert result.exit_code == 2 and "content/QP-04.yaml:2: kind: unknown document kind" in result.output
    assert not (root / "build" / "site").exists()


def test_a_registered_page_and_section_plug_in(recorded: Path, tmp_path: Path) -> None:
    """The extension point: what a coverage or validation page does once its branch lands."""
    @registry.page("test-extra", "测试页", order=45)
    def extra(data):
        return [Page("extra.html", "base.html.j2", "测试页", {})]

    @registry.section("test-note", order=99)
    def note(data, view):
        return Section("附注", "sections/copies.html.j2", {"view": view}, "test-note") if view.copies else None

    try:
        result = build_site(recorded, AS_OF, tmp_path / "site")
    finally:
        del registry.PAGES["test-extra"], registry.SECTIONS["test-note"]
    assert "extra.html" in result.pages
    page = html.fromstring((tmp_path / "site" / "documents" / "QP-04.html").read_bytes())
    assert page.xpath("//nav/a/text()") == ["受控文件清单", "验证状态", "GMP条款对照", "外来文件", "测试页", "消毒产品"]
    assert [h.text for h in page.xpath("//section/h2")][-1] == "附注"


def test_serve_answers_on_loopback(recorded: Path) -> None:
    import threading

    server = site_server(recorded / "build" / "site", 0)
    host, port = server.server_address[:2]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert host == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/documents/QP-04.html", timeout=10) as answer:
            assert answer.status == 200 and "文件控制程序" in answer.read().decode("utf-8")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/files/QP-04/B/QP-04.pdf", timeout=10) as answer:
            assert PdfReader(io.BytesIO(answer.read())).pages[0].extract_text().strip() == "QP-04 B"
    finally:
        server.shutdown()
        server.server_close()


def test_status_json_and_site_agree_on_today(recorded: Path, tmp_path: Path) -> None:
    """The default day is today, as for `dossier status`."""
    out = tmp_path / "today"
    assert run_cli("site", str(recorded), "--out", str(out)).exit_code == 0
    status = json.loads(run_cli("status", "-w", str(recorded), "--json").output)["documents"]
    page = html.fromstring((out / "index.html").read_bytes())
    assert page.xpath('//time[@id="as-of"]/@datetime') == [workspace_today(recorded)]
    rows = {tr.get("data-id"): tr.xpath('./td[@class="in-force"]')[0].text_content() for tr in page.xpath("//tbody/tr")}
    assert rows == {row["id"]: row["in_force"] or "—" for row in status}


def test_products_page_shows_class_items_and_validity(recorded: Path) -> None:
    page = _page(recorded, "disinfectant.html")
    products = {section.get("id"): section for section in page.xpath("//section[@class='product']")}
    assert set(products) == {f"product-{p.name}" for p in (recorded / "content" / "disinfectant").iterdir()
                             if (p / "product.yaml").is_file()}
    ethanol = products["product-skin-ethanol"]
    assert "第一类" in ethanol.text_content() and "有效期至 2028-05-20" in ethanol.text_content()
    rows = {tr.xpath("./td")[1].text_content(): [td.text_content() for td in tr.xpath("./td")]
            for tr in ethanol.xpath(".//table[@class='items']/tbody/tr")}
    assert rows["有效成分含量测定"][2:] == ["必做", "HDJC-2024-LH0412", "合格"]
    renewal = {tr.xpath("./td")[1].text_content(): [td.text_content() for td in tr.xpath("./td")]
               for tr in products["product-iodophor-renewal"].xpath(".//table[@class='items']/tbody/tr")}
    assert renewal["pH值测定"][3].startswith("免于检验：") and renewal["pH值测定"][4] == "合格"  # 第十四条 exemption
    assert "长期有效" in products["product-plasma-air-device"].text_content()


def test_the_signed_copy_is_the_current_one_where_it_exists(recorded: Path) -> None:
    page = _page(recorded, "documents/QP-12.html")
    link = page.xpath('//a[contains(@class, "current-pdf")]')
    assert [a.get("href") for a in link] == ["../files/QP-12/A/QP-12.signed.pdf"] and "已电子签名" in link[0].text_content()
    published = recorded / "build" / "site" / "files" / "QP-12" / "A" / "QP-12.signed.pdf"
    assert PdfReader(published).pages[0].extract_text().strip() == "QP-12 A signed"
    assert not (published.parent / "QP-12.pdf").exists()
