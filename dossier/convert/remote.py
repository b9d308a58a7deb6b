"""Conversion on remote servers: unoserver and Gotenberg endpoints, several at once.

Endpoints are URLs: `unoserver://HOST:PORT` (default port 2003) and
`gotenberg+http://HOST:PORT[/PATH]` or `gotenberg+https://…`. Each endpoint takes one
document at a time from a shared work queue (name an endpoint twice to send it two at a time).
An endpoint that cannot be reached takes no further documents, nor does one that timed out on
two documents in a row (it hangs: the documents left are not each made to wait the full time).
A document that fails is retried once, on another endpoint when there is one; a document that
still fails is reported with both attempts. Once the run is ending (`dossier.util.children.stopping`)
the endpoints take no further documents and nothing more is reported.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dossier.convert.errors import ConversionError, TimedOut, Unreachable
from dossier.convert.outputs import is_pdf_bytes
from dossier.errors import ToolError, UsageError
from dossier.util.atomic import write_bytes
from dossier.util.children import stopping

UNOSERVER_PORT = 2003
POLL_SECONDS = 0.05
URL_FORMS = "unoserver://HOST:PORT, gotenberg+http://HOST:PORT or gotenberg+https://HOST:PORT"

OnDone = Callable[[Path], None]


@dataclass(frozen=True)
class Endpoint:
    """One conversion server."""

    url: str
    kind: str  # "unoserver" | "gotenberg"
    host: str = ""
    port: int = 0
    base_url: str = ""

    def convert(self, docx: Path, timeout: float) -> bytes:
        """PDF bytes of `docx`; ConversionError when the server did not deliver a valid PDF."""
        from dossier.convert import gotenberg, unoserver  # HTTP clients (urllib3: 45 ms) only when used

        data = docx.read_bytes()
        if self.kind == "unoserver":
            pdf = unoserver.convert(self.host, self.port, data, timeout)
        else:
            pdf = gotenberg.convert(self.base_url, docx.name, data, timeout)
        if not is_pdf_bytes(pdf):
            raise ConversionError("server returned no valid PDF")
        return pdf


def parse_endpoint(url: str) -> Endpoint:
    """The Endpoint for a converter URL; UsageError naming the URL when it is not one."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = None
        parts = parts._replace(netloc="")
    if parts.scheme == "unoserver" and parts.hostname and parts.path in ("", "/"):
        return Endpoint(url, "unoserver", host=parts.hostname, port=port or UNOSERVER_PORT)
    if parts.scheme in ("gotenberg+http", "gotenberg+https") and parts.hostname:
        scheme = parts.scheme.split("+", 1)[1]
        return Endpoint(url, "gotenberg", base_url=f"{scheme}://{parts.netloc}{parts.path}".rstrip("/"))
    raise UsageError(f"error: converter {url!r}: expected {URL_FORMS}")


def parse_endpoints(urls: Sequence[str]) -> list[Endpoint]:
    """Endpoints for several URLs; every bad URL is reported together."""
    endpoints, problems = [], []
    for url in urls:
        try:
            endpoints.append(parse_endpoint(url))
        except UsageError as exc:
            problems.append(str(exc))
    if problems:
        raise UsageError("\n".join(problems))
    return endpoints


@dataclass
class _Job:
    docx: Path
    failures: list[str] = field(default_factory=list)
    tried: set[str] = field(default_factory=set)


class _Pool:
    """The work queue shared by one thread per endpoint."""

    def __init__(self, endpoints: list[Endpoint], out_dir: Path, timeout: float, on_done: OnDone | None):
        self.endpoints = endpoints
        self.out_dir = out_dir
        self.timeout = timeout
        self.on_done = on_done
        self.jobs: queue.Queue[_Job] = queue.Queue()
        self.lock = threading.Lock()
        self.pending = 0
        self.alive = len(endpoints)
        self.dead: dict[str, str] = {}
        self.finished = threading.Event()
        self.problems: list[str] = []

    def run(self, files: list[Path]) -> None:
        """Convert every file; returns when each one is converted or has failed twice."""
        if not files:
            return
        self.pending = len(files)
        for docx in files:
            self.jobs.put(_Job(docx))
        threads = [threading.Thread(target=self._work, args=(e,), daemon=True) for e in self.endpoints]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _settle(self, problem: str | None = None) -> None:
        with self.lock:
            if problem:
                self.problems.append(problem)
            self.pending -= 1
            if self.pending == 0:
                self.finished.set()

    def _fail(self, job: _Job, endpoint: Endpoint, why: str) -> None:
        job.failures.append(f"{endpoint.url}: {why}")
        job.tried.add(endpoint.url)
        if len(job.failures) < 2:
            self.jobs.put(job)
        else:
            self._settle(f"error: {job.docx.name}: conversion to PDF failed (tried twice): " + "; ".join(job.failures))

    def _elsewhere(self, job: _Job, endpoint: Endpoint) -> bool:
        """True when a retry of `job` should go to another live endpoint rather than `endpoint`."""
        if endpoint.url not in job.tried:
            return False
        with self.lock:
            return any(e.url not in job.tried and e.url not in self.dead for e in self.endpoints)

    def _take(self, endpoint: Endpoint) -> _Job | None:
        """The next job for `endpoint`, or None when all work is settled."""
        while not self.finished.is_set() and not stopping.is_set():
            try:
                job = self.jobs.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            if self._elsewhere(job, endpoint):
                self.jobs.put(job)
                self.finished.wait(POLL_SECONDS)
                continue
            return job
        return None

    def _work(self, endpoint: Endpoint) -> None:
        timeouts = 0  # in a row
        while (job := self._take(endpoint)) is not None:
            try:
                pdf = endpoint.convert(job.docx, self.timeout)
            except Unreachable as exc:
                self._fail(job, endpoint, str(exc))
                self._die(endpoint, str(exc))
                return
            except TimedOut as exc:
                timeouts += 1
                self._fail(job, endpoint, str(exc))
                if timeouts >= 2:
                    self._die(endpoint, f"hangs (two documents in a row timed out after {self.timeout:g} s)")
                    return
                continue
            except ConversionError as exc:
                timeouts = 0
                self._fail(job, endpoint, str(exc))
                continue
            except Exception as exc:  # reading the .docx, an unforeseen client error: this document's problem
                timeouts = 0
                self._fail(job, endpoint, f"{type(exc).__name__}: {exc}")
                continue
            timeouts = 0
            self._deliver(job, pdf)

    def _deliver(self, job: _Job, pdf: bytes) -> None:
        """Write the PDF and report it; a failure becomes the document's problem (a thread never raises)."""
        try:
            write_bytes(self.out_dir / f"{job.docx.stem}.pdf", pdf)
            if self.on_done and not stopping.is_set():
                self.on_done(job.docx)
        except Exception as exc:
            self._settle(f"error: {job.docx.name}: {exc}")
            return
        self._settle()

    def _die(self, endpoint: Endpoint, why: str) -> None:
        """Stop using an unreachable endpoint; when it was the last one, fail what is left."""
        with self.lock:
            self.dead[endpoint.url] = why
            self.alive -= 1
            last = self.alive == 0
        while last:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                return
            reasons = "; ".join(f"{url}: {why}" for url, why in sorted(self.dead.items()))
            self._settle(f"error: {job.docx.name}: conversion to PDF failed, no converter reachable ({reasons})")


def convert_remote(
    docx_files: list[Path], out_dir: Path, endpoints: list[Endpoint], per_doc: float, on_done: OnDone | None = None
) -> dict[Path, Path]:
    """Convert on remote servers (see module docstring); returns {docx: pdf}."""
    pool = _Pool(endpoints, out_dir, per_doc, on_done)
    pool.run(list(docx_files))
    if stopping.is_set():
        raise ToolError("error: the run is ending: conversion stopped")
    if pool.problems:
        raise ToolError("\n".join(sorted(pool.problems)))
    return {f: out_dir / f"{f.stem}.pdf" for f in docx_files}
