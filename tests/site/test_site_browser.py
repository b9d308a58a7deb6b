"""The site in a real browser: Debian's headless Chromium through Selenium, from disk and from a loopback server.

The workspace is released for real (LibreOffice renders each revision), so the links point at the
archived PDFs a release writes. The tests assert on the DOM: the master list rows are those of
`dossier status --json`, filters and search work, the current-PDF link of a revised document
points at its newest effective revision, a withdrawn document is marked and has no current link,
and no page logs a console error. A screenshot of the home page goes to build/screenshots/.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import urllib.request
from pathlib import Path

import pytest

from dossier.control.status import workspace_status
from dossier.pipeline.load import load_checked
from dossier.site.serve import site_server
from tests.conftest import REPO, pdf_text, run_cli, workspace_today
from tests.site_support import AS_OF, released_workspace

pytestmark = [pytest.mark.libreoffice, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1000")
SCREENSHOT = REPO / "build" / "screenshots" / "site-home.png"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a test dependency (pip install -e '.[test]')")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip("Debian's chromium and chromium-driver are not installed (scripts/setup.sh --test)", allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """The example with a history (see tests/site_support.py), its site for AS_OF and one for today."""
    root = released_workspace(tmp_path_factory.mktemp("released"))
    for args in (("--as-of", AS_OF.isoformat()), ("--out", str(root / "build" / "site-today"))):
        result = run_cli("site", str(root), *args)
        assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="dossier-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def server(released: Path):
    """The AS_OF site on a loopback HTTP server (any free port)."""
    httpd = site_server(released / "build" / "site", 0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _open(driver, url: str) -> None:
    driver.get(url)
    assert driver.find_element(By.TAG_NAME, "h1")
    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], f"console errors on {url}: {errors}"


def _visible_ids(driver) -> list[str]:
    return [row.get_attribute("data-id") for row in driver.find_elements(By.CSS_SELECTOR, "#master-list tbody tr")
            if row.is_displayed()]


def test_master_list_rows_match_status_json_from_disk(browser, released: Path) -> None:
    status = json.loads(run_cli("status", "-w", str(released), "--json").output)["documents"]
    _open(browser, (released / "build" / "site-today" / "index.html").as_uri())
    assert browser.find_element(By.ID, "as-of").get_attribute("datetime") == workspace_today(released)
    rows = {}
    for tr in browser.find_elements(By.CSS_SELECTOR, "#master-list tbody tr"):
        cells = {td.get_attribute("class").split()[0]: td.text for td in tr.find_elements(By.TAG_NAME, "td")}
        rows[tr.get_attribute("data-id")] = cells
    assert list(rows) == [row["id"] for row in status]
    for row in status:
        cells = rows[row["id"]]
        assert cells["number"] == row["id"] and cells["title"] == row["title"]
        assert cells["in-force"] == (row["in_force"] or "—")
        assert cells["department"] == (row["department"] or "—")
        assert cells["review"].split()[0] == (row["next_review"] or "—")
        assert ("逾期" in cells["review"]) == row["review_overdue"]
        assert (cells["file"] == "PDF") == (row["in_force"] is not None and row["withdrawn_on"] is None)


def test_filters_and_search_from_the_server(browser, server: str, released: Path) -> None:
    ws = load_checked(released, released_unchanged=False)
    status = {row["id"]: row for row in workspace_status(ws, AS_OF)}  # the site the server serves
    docs = ws.documents

    def where(test) -> list[str]:
        return sorted(d for d in docs if test(docs[d], status[d]))

    _open(browser, server)
    everything = _visible_ids(browser)
    assert everything == sorted(docs) and len(everything) > 100  # the starter example
    kind, state = Select(browser.find_element(By.ID, "filter-kind")), Select(browser.find_element(By.ID, "filter-state"))
    department = Select(browser.find_element(By.ID, "filter-department"))
    kind.select_by_value("procedure")
    assert _visible_ids(browser) == where(lambda doc, row: doc.kind == "procedure")
    state.select_by_value("effective")
    assert _visible_ids(browser) == ["QP-04", "QP-12"] == where(lambda doc, row: doc.kind == "procedure" and row["state"] == "effective")
    assert browser.find_element(By.ID, "shown-count").text == "2"
    kind.select_by_value("")
    state.select_by_value("obsolete")
    assert _visible_ids(browser) == ["WI-12-01"]
    state.select_by_value("")
    department.select_by_value("技术部")
    assert _visible_ids(browser) == where(lambda doc, row: doc.department == "技术部") != []
    department.select_by_value("")
    search = browser.find_element(By.ID, "search")
    search.send_keys("qp-0")
    assert _visible_ids(browser) == [d for d in sorted(docs) if "qp-0" in d.lower() or "qp-0" in docs[d].title.lower()]
    search.clear()
    search.send_keys("清洁")
    assert _visible_ids(browser) == where(lambda doc, row: "清洁" in doc.title) != []
    search.send_keys("不存在")
    assert _visible_ids(browser) == [] and browser.find_element(By.ID, "no-match").is_displayed()
    search.clear()
    search.send_keys(" ")  # whitespace only: everything again
    assert _visible_ids(browser) == everything
    assert not browser.find_element(By.ID, "no-match").is_displayed()


def test_revised_document_links_its_newest_effective_revision(browser, server: str, released: Path) -> None:
    _open(browser, server + "index.html")
    row_link = browser.find_element(By.CSS_SELECTOR, "#row-QP-04 a.current-pdf").get_attribute("href")
    browser.find_element(By.LINK_TEXT, "QP-04").click()
    assert browser.current_url == server + "documents/QP-04.html"
    assert browser.find_element(By.ID, "in-force").text == "B"
    links = browser.find_elements(By.CSS_SELECTOR, "a.current-pdf")
    assert [a.get_attribute("href") for a in links] == [server + "files/QP-04/B/QP-04.pdf"] == [row_link]
    with urllib.request.urlopen(links[0].get_attribute("href"), timeout=10) as answer:
        published = answer.read()
    assert published == (released / "releases" / "QP-04" / "B" / "QP-04.pdf").read_bytes()
    assert "电子文件的控制按本程序执行" in pdf_text(released / "releases" / "QP-04" / "B" / "QP-04.pdf")
    old = browser.find_element(By.CSS_SELECTOR, 'table.history tr[data-revision="A"]')
    assert old.get_attribute("data-state") == "superseded" and "作废" in old.text
    assert old.find_element(By.CSS_SELECTOR, "a.void-pdf").get_attribute("href") == server + "files/QP-04/A/QP-04-A-void.pdf"


def test_withdrawn_document_is_marked_and_has_no_current_link(browser, released: Path) -> None:
    site = released / "build" / "site"
    _open(browser, (site / "index.html").as_uri())
    row = browser.find_element(By.ID, "row-WI-12-01")
    assert row.find_element(By.CSS_SELECTOR, "td.state").text == "已作废"
    assert row.find_elements(By.CSS_SELECTOR, "a.current-pdf") == []
    row.find_element(By.LINK_TEXT, "WI-12-01").click()
    banner = browser.find_element(By.ID, "withdrawn")
    assert banner.is_displayed() and "已作废" in banner.text and "2027-01-08" in banner.text and "工艺变更" in banner.text
    assert browser.find_elements(By.CSS_SELECTOR, "a.current-pdf") == []
    assert browser.find_element(By.ID, "no-current").text.startswith("已作废")
    # the copies `dossier issue` recorded, all to recall now the document is withdrawn
    states = [row.find_element(By.CSS_SELECTOR, "td:last-child").text for row in browser.find_elements(By.CSS_SELECTOR, "table.copies tbody tr")]
    assert states == ["待回收"] * 3


def test_every_page_loads_without_console_errors(browser, released: Path, server: str) -> None:
    site = released / "build" / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert {"coverage.html", "external.html"} <= set(pages)  # each opened below with no console errors
    documents = len(list((released / "content").glob("*.yaml")))
    assert len(pages) == documents + 5  # the documents, the master list, validation status, products, GMP coverage, external documents
    for page in pages:  # every page as the intranet serves it
        _open(browser, server + page)
    document_pages = [page for page in pages if page.startswith("documents/")] or pages
    for page in [page for page in pages if not page.startswith("documents/")] + document_pages[:1]:
        _open(browser, (site / page).as_uri())  # and each kind of page opened from disk (one document page: one template)
    _open(browser, (site / "index.html").as_uri())
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
