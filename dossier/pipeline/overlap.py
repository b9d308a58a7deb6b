"""The render → convert → normalise stages of a build, overlapped instead of one waiting for the whole batch.

Jobs are split into conversion groups (one LibreOffice run each, at most MAX_PER_PROCESS
documents, at least one group per conversion slot). Every job is rendered on a pool of forked
worker processes, in group order; as soon as a group is rendered, a conversion slot (a thread
driving one LibreOffice process, or the remote converters) converts it while the pool renders
the next groups; each PDF is normalised on the pool as soon as it appears. A job whose
rendering lists headings (a table of contents) is rendered and converted a second time with
the page numbers of its first conversion.

Outputs do not depend on the grouping or timing: rendering and normalisation are deterministic
per document (pdfnorm numbers fonts by object order, not by LibreOffice's counter).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dossier.convert import Session, convert_batch
from dossier.convert.local import MAX_PER_PROCESS
from dossier.errors import Problems, ToolError
from dossier.pdf.normalise import normalise_pdf
from dossier.util.atomic import write_bytes
from dossier.util.children import follow_parent, stopping
from dossier.util.progress import Progress
from dossier.word.toc import Heading, heading_pages

MIN_POOL_JOBS = 4  # below this, forking workers costs more than it saves


@dataclass(frozen=True)
class Rendering:
    """What rendering a job gave: the .docx, the headings of its table of contents, input problems."""

    docx: bytes
    headings: list[Heading]
    problems: Problems


@dataclass(frozen=True)
class Job:
    """One .docx to render and convert. `name` is its file stem (unique within a run).

    `render(toc_pages)` makes the .docx; `toc_pages` are the page numbers of its headings from
    the first conversion (None the first time). `when` and `title` go into the PDF's metadata.
    """

    name: str
    title: str
    when: datetime
    render: Callable[[list[int] | None], Rendering]


@dataclass(frozen=True)
class Produced:
    """A job's outputs: the .docx and, when converted, the normalised PDF."""

    docx: bytes
    pdf: bytes | None


_jobs: list[Job] = []  # what forked workers run; set before the pool forks


def _render(index: int, pages: list[int] | None) -> Rendering:
    return _jobs[index].render(pages)


def _normalise(index: int, pdf: str) -> bytes:
    job = _jobs[index]
    return normalise_pdf(Path(pdf).read_bytes(), job.when, job.title)


class _InProcess:
    """The pool's interface, running each task at once in this process (few jobs, one core)."""

    def submit(self, function: Callable, *args: object) -> Future:
        future: Future = Future()
        try:
            future.set_result(function(*args))
        except BaseException as exc:  # handed to the caller, as a process pool would
            future.set_exception(exc)
        return future

    def __enter__(self) -> "_InProcess":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _pool(count: int):
    if count < 2 or len(_jobs) < MIN_POOL_JOBS or "fork" not in multiprocessing.get_all_start_methods():
        return _InProcess()
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                               initializer=follow_parent, initargs=(os.getpid(),))  # workers end with the build


def conversion_groups(count: int, slots: int) -> list[range]:
    """Job index ranges of the conversion groups: at least `slots` (when there are enough jobs),
    each at most MAX_PER_PROCESS long, of equal length (one short run would pay a whole start-up)."""
    if count == 0:
        return []
    groups = max(min(slots, count), -(-count // MAX_PER_PROCESS))
    size = -(-count // groups)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _result(future: Future):
    try:
        return future.result()
    except BrokenProcessPool as exc:  # a worker was killed (out of memory?): fail, never wait forever
        raise ToolError(f"error: a worker process died while rendering or normalising ({exc})") from exc


class _Run:
    """One overlapped run over `jobs` (see module docstring)."""

    def __init__(self, jobs: list[Job], staging: Path, converters: list[str], bar: Progress, workers: int,
                 timeout: float | None = None):
        self.jobs, self.staging, self.converters, self.bar, self.workers = jobs, staging, converters, bar, workers
        self.timeout = timeout
        self.session = Session()  # a LibreOffice found hung by one group is not retried by the others
        self.index = {job.name: i for i, job in enumerate(jobs)}
        self.lock = threading.Lock()
        self.normalised: dict[int, Future] = {}
        self.rendered: dict[int, Rendering] = {}

    def docx_path(self, index: int, second: bool = False) -> Path:
        return self.staging / ("docx2" if second else "docx") / f"{self.jobs[index].name}.docx"

    def converted(self, pool, docx: Path) -> None:
        """A PDF is complete: normalise it on the pool (first-pass PDFs of a TOC are only measured).

        Called from a converter's thread, so it never raises: once the run is ending (a signal) it
        does nothing; a pool that cannot take the task (broken, shut down) leaves a failed future
        that the main thread reports when it collects the PDF.
        """
        if stopping.is_set():
            return
        index = self.index[docx.stem]
        self.bar.advance()
        if self.rendered[index].headings and docx.parent.name == "docx":
            return
        try:
            future = pool.submit(_normalise, index, str(docx.with_name(docx.stem + ".pdf")))
        except (BrokenProcessPool, RuntimeError) as exc:  # RuntimeError: "cannot schedule new futures after shutdown"
            future = Future()
            future.set_exception(exc if isinstance(exc, BrokenProcessPool) else BrokenProcessPool(str(exc)))
        with self.lock:
            self.normalised[index] = future

    def convert(self, pool, files: list[Path]) -> dict[Path, Path]:
        out = files[0].parent
        return convert_batch(files, out, self.timeout, workers=1 if not self.converters else None, converters=self.converters,
                             on_done=lambda docx: self.converted(pool, docx), session=self.session)

    def run(self, pdf: bool) -> dict[str, Produced]:
        with _pool(self.workers) as pool:
            renders = {i: pool.submit(_render, i, None) for i in range(len(self.jobs))}
            problems = Problems()
            with ThreadPoolExecutor(max(1, self.workers)) as slots:
                conversions = []
                for group in conversion_groups(len(self.jobs), self.workers):
                    files = []
                    for i in group:
                        self.rendered[i] = _result(renders[i])
                        problems.extend(self.rendered[i].problems)
                        files.append(self.docx_path(i))
                        write_bytes(files[-1], self.rendered[i].docx)
                    if pdf and not problems:
                        conversions.append(slots.submit(self.convert, pool, files))
                wait(conversions)
            problems.raise_if_any()  # input problems first: a conversion may have failed because of them
            _raise_conversion_failures(conversions)
            if pdf:
                self.second_pass(pool)
                wait(list(self.normalised.values()))
        return {job.name: Produced(self.rendered[i].docx, _result(self.normalised[i]) if pdf else None)
                for i, job in enumerate(self.jobs)}

    def second_pass(self, pool) -> None:
        """Render again the jobs with a table of contents, with their pages from the first conversion."""
        with_toc = [i for i, rendering in self.rendered.items() if rendering.headings]
        if not with_toc:
            return
        pages = {}
        for i in with_toc:
            first = self.docx_path(i).with_suffix(".pdf")
            try:
                pages[i] = heading_pages(first.read_bytes(), self.rendered[i].headings)
            except ValueError as exc:
                raise ToolError(f"error: {self.jobs[i].name}: table of contents: {exc}") from exc
        self.bar.grow(len(with_toc))
        again = {i: pool.submit(_render, i, pages[i]) for i in with_toc}
        files = []
        for i in with_toc:
            self.rendered[i] = _result(again[i])
            files.append(self.docx_path(i, second=True))
            write_bytes(files[-1], self.rendered[i].docx)
        self.convert(pool, files)


def _raise_conversion_failures(conversions: list[Future]) -> None:
    """Every conversion group's failure together (ToolErrors as one), or the first other error."""
    failures = [c.exception() for c in conversions if c.exception() is not None]
    for failure in failures:
        if not isinstance(failure, ToolError):
            raise failure
    if failures:  # each line once (LibreOffice missing is the same news for every group)
        lines = dict.fromkeys(line for failure in failures for line in str(failure).splitlines())
        raise ToolError("\n".join(lines))


def run_jobs(jobs: list[Job], staging: Path, converters: list[str], pdf: bool = True, progress: bool = False,
             workers: int | None = None, timeout: float | None = None) -> dict[str, Produced]:
    """Render every job and, with `pdf`, convert and normalise it: {job name: Produced}; writes only in `staging`.

    `timeout` is the converter's time per document in seconds (None: its default).

    Raises InputErrors with every job's rendering problems (nothing is converted then),
    ToolError when a conversion or a worker process fails.
    """
    global _jobs
    if not jobs:
        return {}
    count = workers or os.cpu_count() or 1
    _jobs = jobs
    try:
        with Progress(len(jobs) if pdf else 0, "Converting", enabled=progress and pdf) as bar:
            return _Run(jobs, staging, converters, bar, count, timeout).run(pdf)
    finally:
        _jobs = []
