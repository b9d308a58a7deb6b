"""Remote converters against real servers on loopback: unoserver, and a Gotenberg stand-in.

The unoserver test starts a real unoserver (it needs LibreOffice's `uno` module: Debian's
python3-uno). Gotenberg needs Docker, so a small HTTP server here implements its
`POST /forms/libreoffice/convert` route with soffice: the client's multipart/HTTP is real.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from datetime import datetime
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from dossier.convert import convert_batch
from dossier.convert.remote import parse_endpoint
from dossier.errors import ToolError, UsageError
from dossier.fonts import write_fontconfig
from dossier.pdf.normalise import normalise_pdf

pytestmark = pytest.mark.libreoffice

UNO_MODULE = Path("/usr/lib/python3/dist-packages/uno.py")
TAGS = "甲乙丙"  # digits next to CJK get spaces in pdftotext


def make_docx(path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_heading(text, level=1)
    for number in "一二三":
        document.add_paragraph(f"{text}：第{number}段，生产过程控制要求。")
    document.save(path)
    return path


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, check=True, capture_output=True).stdout.decode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def soffice_convert(data: bytes, name: str, profile: Path) -> bytes | None:
    """What a Gotenberg server does with one uploaded document: soffice to PDF."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / name
        source.write_bytes(data)
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", work, str(source)],
            env={**os.environ, "HOME": str(profile)}, capture_output=True, timeout=120, check=False,
        )
        out = source.with_suffix(".pdf")
        return out.read_bytes() if out.exists() else None


class FakeGotenberg(ThreadingHTTPServer):
    """Gotenberg's LibreOffice route, one conversion at a time; records what it was sent."""

    daemon_threads = True

    def __init__(self, profile: Path, status: int = 200, delay: float = 0.0):
        super().__init__(("127.0.0.1", 0), GotenbergHandler)
        self.profile, self.status, self.delay = profile, status, delay
        self.requests: list[dict] = []
        self.busy = threading.Lock()

    @property
    def url(self) -> str:
        return f"gotenberg+http://127.0.0.1:{self.server_address[1]}"


class GotenbergHandler(BaseHTTPRequestHandler):
    server: FakeGotenberg

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _answer(self, status: int, body: bytes, kind: str = "text/plain") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        message = BytesParser(policy=policy.HTTP).parsebytes(
            f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode() + body
        )
        files, fields = [], {}
        for part in message.iter_parts():
            if part.get_filename():
                files.append((part.get_filename(), part.get_content_type(), part.get_payload(decode=True)))
            else:
                fields[part.get_param("name", header="content-disposition")] = part.get_payload(decode=True).decode()
        self.server.requests.append({"path": self.path, "files": files, "fields": fields})
        time.sleep(self.server.delay)
        if self.path != "/forms/libreoffice/convert" or len(files) != 1:
            return self._answer(404, b"Not found")
        if self.server.status != 200:
            return self._answer(self.server.status, b"LibreOffice is busy\n")
        with self.server.busy:
            pdf = soffice_convert(files[0][2], files[0][0], self.server.profile)
        if pdf is None:
            return self._answer(400, b"Malformed file")
        self._answer(200, pdf, "application/pdf")


@pytest.fixture()
def gotenberg(tmp_path_factory):
    """Start a fake Gotenberg; yields a factory so a test can start several."""
    servers: list[FakeGotenberg] = []
    profile = tmp_path_factory.mktemp("gotenberg-profile")

    def start(status: int = 200, delay: float = 0.0) -> FakeGotenberg:
        server = FakeGotenberg(profile, status, delay)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def unoserver_url(tmp_path_factory):
    """A real unoserver on loopback, with its own LibreOffice profile and dossier's font aliases."""
    assert UNO_MODULE.exists(), "the unoserver test needs LibreOffice's uno module: apt-get install python3-uno"
    pytest.importorskip("unoserver", reason="pip install unoserver (test extra)")
    base = tmp_path_factory.mktemp("unoserver")
    uno_path, profile = base / "uno", base / "profile"
    uno_path.mkdir()
    for module in ("uno.py", "unohelper.py"):  # only uno, not all of Debian's packages
        (uno_path / module).symlink_to(UNO_MODULE.parent / module)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "unoserver.server", "--interface", "127.0.0.1", "--port", str(port),
         "--uno-port", str(free_port()), "--user-installation", str(profile)],
        # set up as scripts/setup.sh sets up a converter host: with dossier's font aliases
        env={**os.environ, "PYTHONPATH": str(uno_path), "HOME": str(base), "FONTCONFIG_FILE": str(write_fontconfig(base))},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 90
    while True:
        try:
            proxy.info()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "unoserver did not start"
            time.sleep(0.3)
    yield f"unoserver://127.0.0.1:{port}"
    # unoserver 3.7 does not exit on SIGTERM, and LibreOffice outlives it: end the whole group
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def unique_ids(pdf: bytes) -> list[bytes]:
    """The /UniqueID numbers of the Type 1 fonts LibreOffice embedded."""
    found = []
    for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values():
        program = font.get_object()["/FontDescriptor"]["/FontFile"].get_object().get_data()
        found += re.findall(rb"/UniqueID (\d+)", program[:4000])
    return found


def test_unoserver_converts_every_document_and_reports_each(tmp_path, unoserver_url):
    files = [make_docx(tmp_path / f"doc{n}.docx", f"文件{TAGS[n]}") for n in range(3)]
    done: list[Path] = []
    results = convert_batch(files, tmp_path / "pdf", converters=[unoserver_url], on_done=done.append)
    assert sorted(done) == files
    for n, docx_file in enumerate(files):
        assert f"文件{TAGS[n]}：第三段" in pdf_text(results[docx_file].read_bytes())


def test_a_warm_unoserver_numbers_fonts_on_from_conversion_to_conversion(tmp_path, unoserver_url):
    """Why normalisation must canonicalise Type 1 /UniqueID (see pdfnorm proposal in issue 6)."""
    doc = make_docx(tmp_path / "same.docx", "同一文件")
    first = convert_batch([doc], tmp_path / "one", converters=[unoserver_url])[doc].read_bytes()
    second = convert_batch([doc], tmp_path / "two", converters=[unoserver_url])[doc].read_bytes()
    assert pdf_text(first) == pdf_text(second)
    assert unique_ids(first) and unique_ids(first) != unique_ids(second)


def test_warm_unoserver_output_normalises_like_the_local_pool(tmp_path, unoserver_url, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    doc = make_docx(tmp_path / "same.docx", "同一文件")
    convert_batch([doc], tmp_path / "warmup", converters=[unoserver_url])
    remote = convert_batch([doc], tmp_path / "remote", converters=[unoserver_url])[doc].read_bytes()
    local = convert_batch([doc], tmp_path / "local", converters=[])[doc].read_bytes()
    when = datetime(2026, 1, 1)
    assert normalise_pdf(remote, when, "标题") == normalise_pdf(local, when, "标题")


def test_gotenberg_client_posts_each_document_as_multipart(tmp_path, gotenberg):
    server = gotenberg()
    files = [make_docx(tmp_path / f"g{n}.docx", f"报告{TAGS[n]}") for n in range(2)]
    results = convert_batch(files, tmp_path / "pdf", converters=[server.url])
    for n, docx_file in enumerate(files):
        assert f"报告{TAGS[n]}：第一段" in pdf_text(results[docx_file].read_bytes())
    assert sorted(r["files"][0][0] for r in server.requests) == ["g0.docx", "g1.docx"]
    for request in server.requests:
        name, kind, data = request["files"][0]
        assert request["path"] == "/forms/libreoffice/convert"
        assert kind == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        assert data == (tmp_path / name).read_bytes()
        assert request["fields"] == {"updateIndexes": "false"}


def test_a_failed_document_is_retried_on_another_server(tmp_path, gotenberg):
    broken, working = gotenberg(status=503), gotenberg()
    files = [make_docx(tmp_path / f"r{n}.docx", f"记录{n}") for n in range(3)]
    results = convert_batch(files, tmp_path / "pdf", converters=[broken.url, working.url])
    assert all(results[f].exists() for f in files)
    refused = {r["files"][0][0] for r in broken.requests}
    assert refused, "the broken server was given work"
    assert refused <= {r["files"][0][0] for r in working.requests}


def test_an_unreachable_server_gets_no_more_work(tmp_path, gotenberg):
    working = gotenberg()
    dead = f"unoserver://127.0.0.1:{free_port()}"
    files = [make_docx(tmp_path / f"u{n}.docx", f"文件{n}") for n in range(2)]
    done: list[Path] = []
    results = convert_batch(files, tmp_path / "pdf", converters=[dead, working.url], on_done=done.append)
    assert sorted(done) == files and all(results[f].exists() for f in files)
    assert len(working.requests) == 2


def test_each_failure_names_the_document_and_both_attempts(tmp_path, gotenberg):
    slow = gotenberg(delay=3)
    doc = make_docx(tmp_path / "slow.docx", "文件")
    started = time.monotonic()
    with pytest.raises(ToolError) as error:
        convert_batch([doc], tmp_path / "pdf", timeout=1, converters=[slow.url])
    assert time.monotonic() - started < 5
    assert error.value.lines() == [
        f"error: slow.docx: conversion to PDF failed (tried twice): {slow.url}: timed out after 1 s; {slow.url}: timed out after 1 s"
    ]
    dead = [f"unoserver://127.0.0.1:{free_port()}", f"gotenberg+http://127.0.0.1:{free_port()}"]
    files = [doc, make_docx(tmp_path / "other.docx", "文件")]
    with pytest.raises(ToolError) as error:
        convert_batch(files, tmp_path / "pdf", converters=dead)
    lines = str(error.value).splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["other.docx", "slow.docx"]
    for line in lines:
        assert dead[0] in line and dead[1] in line and "cannot reach server" in line


def test_endpoint_urls():
    assert parse_endpoint("unoserver://10.0.0.5").port == 2003
    assert parse_endpoint("unoserver://conv.example:2010").host == "conv.example"
    assert parse_endpoint("gotenberg+https://conv.example:3000/api/").base_url == "https://conv.example:3000/api"
    for bad in ("gotenberg://h:3000", "unoserver://h:notaport", "unoserver://h:2003/path", "h:2003"):
        with pytest.raises(UsageError, match="expected unoserver://HOST:PORT"):
            parse_endpoint(bad)
