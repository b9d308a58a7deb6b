"""Build benchmark: naive per-document LibreOffice vs `dossier build` (cold, no-op, one edit).

    .venv/bin/python bench/build_bench.py [--sizes 10,100,300] [--repeat N] [--json]

For each size N it writes a synthetic workspace of N procedures (about five A4 pages each,
see workspace.py) to a temporary directory and measures, on this machine:
  naive     `dossier build --format docx`, then one `soffice --convert-to pdf` process per document
  cold      `dossier build` with no build directory (LibreOffice profiles may be warm)
  no-op     `dossier build` again, nothing changed
  edit      `dossier build` after appending a paragraph to one document
  peak MB   the largest total resident memory of dossier and its LibreOffice children during one
            more cold build (sampled in a run of its own, so sampling does not slow the timed ones)
Every run is a separate `python -m dossier` process, as a user would run it. Times are medians
of --repeat runs (no-op and edit: at least 3). Prints a table and the ratio naive/cold.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workspace import write_workspace  # noqa: E402

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TARGETS = "targets: cold 100 >= 10x faster than naive (issue 12); no-op 300 < 1 s; edit 300 < 3 s; peak 300 < 1024 MB"


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_rss_mb(pid: int) -> float:
    """Total resident memory of a process tree in MB."""
    total = 0
    for member in descendants(pid):
        try:
            total += int((Path("/proc") / str(member) / "statm").read_text().split()[1])
        except (OSError, IndexError):
            continue
    return total * PAGE_KB / 1024


def run(command: list[str], measure_memory: bool = False) -> tuple[float, float]:
    """(seconds, peak MB of the process tree) of one command; fails loudly when it fails."""
    env = {**os.environ, "CI": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if measure_memory:
        sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    if measure_memory:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{out}\n{err}")
    return elapsed, peak[0]


def dossier(*args: str) -> list[str]:
    return [sys.executable, "-m", "dossier", *args]


def naive(root: Path, profile: Path) -> float:
    """Render docx with dossier, then one soffice process per document (sequential)."""
    elapsed, _ = run(dossier("build", str(root), "--format", "docx", "--force"))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    out = root / "naive-pdf"
    for docx in sorted((root / "build").glob("*.docx")):
        seconds, _ = run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                          "--convert-to", "pdf", "--outdir", str(out), str(docx)])
        elapsed += seconds
    return elapsed


def measure(size: int, repeat: int, skip_naive: bool) -> dict[str, float | int | None]:
    """All measurements for one workspace size."""
    with tempfile.TemporaryDirectory(prefix=f"dossier-bench-{size}-") as tmp:
        root = Path(tmp) / "ws"
        bodies = write_workspace(root, size)
        profile = Path(tmp) / "naive-profile"
        naive_times = [] if skip_naive else [naive(root, profile) for _ in range(repeat)]
        cold_times = []
        for _ in range(repeat):
            shutil.rmtree(root / "build", ignore_errors=True)
            cold_times.append(run(dossier("build", str(root)))[0])
        # memory in a run of its own: sampling /proc every 50 ms costs CPU the timed build would miss
        shutil.rmtree(root / "build", ignore_errors=True)
        peaks = [run(dossier("build", str(root)), measure_memory=True)[1]]
        noop_times = [run(dossier("build", str(root)))[0] for _ in range(max(repeat, 3))]
        edit_times = []
        for attempt in range(max(repeat, 3)):
            with bodies[size // 2].open("a", encoding="utf-8") as handle:
                handle.write(f"\n本次修改编号 {attempt + 1}：补充说明。\n")
            edit_times.append(run(dossier("build", str(root)))[0])
    result: dict[str, float | int | None] = {
        "size": size,
        "naive_s": statistics.median(naive_times) if naive_times else None,
        "cold_s": statistics.median(cold_times),
        "noop_s": statistics.median(noop_times),
        "edit_s": statistics.median(edit_times),
        "peak_mb": max(peaks),
    }
    result["ratio"] = result["naive_s"] / result["cold_s"] if result["naive_s"] else None
    return result


def table(rows: list[dict]) -> str:
    """The results as a fixed-width text table."""
    def fmt(value, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    lines = [f"{'docs':>6} {'naive s':>9} {'cold s':>8} {'naive/cold':>10} {'no-op s':>8} {'edit s':>7} {'peak MB':>8} {'cold s/doc':>10}"]
    for r in rows:
        lines.append(
            f"{r['size']:>6} {fmt(r['naive_s'], '9.1f')} {r['cold_s']:>8.1f} {fmt(r['ratio'], '10.1f')} "
            f"{r['noop_s']:>8.2f} {r['edit_s']:>7.2f} {r['peak_mb']:>8.0f} {r['cold_s'] / r['size']:>10.3f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,300", help="workspace sizes, comma-separated (default 10,100,300)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; medians are reported")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the (slow) naive baseline")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    for size in sizes:
        rows.append(measure(size, max(1, args.repeat), args.skip_naive))
        if not args.json:
            print(f"measured {size} documents", file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps({"cores": os.cpu_count(), "results": rows}, indent=2))
        return
    print(f"dossier build benchmark, {os.cpu_count()} cores, median of {max(1, args.repeat)} run(s)")
    print(table(rows))
    print(TARGETS)


if __name__ == "__main__":
    main()
