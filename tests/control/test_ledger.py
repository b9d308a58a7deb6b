"""The release ledger: append-only writes, the hash chain, and every way of tampering with it."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from dossier.control.ledger import (
    ACTIONS,
    ZERO_HASH,
    Action,
    Ledger,
    format_timestamp,
    last_release,
    release_of,
    releases,
    withdrawals,
)
from dossier.errors import CheckFailed, UsageError

DOCS = [("QP-04", "A"), ("QP-05", "A"), ("QP-04", "B"), ("QP-12", "A"), ("QP-05", "B")]


def release(ledger: Ledger, doc: str, rev: str, day: int = 1, **extra):
    """Append a release entry with realistic fields."""
    fields = dict(
        action="release", document=doc, revision=rev,
        timestamp=f"2026-11-{day:02d}T08:00:00Z", effective_date="2026-12-01",
        inputs_sha256=hashlib.sha256(f"{doc}{rev}".encode()).hexdigest(),
        outputs={f"releases/{doc}/{rev}/{doc}.pdf": hashlib.sha256(f"pdf {doc}{rev}".encode()).hexdigest()},
        prepared_by="张敏", reviewed_by="李强", approved_by="王建国",
        reason="首次发布" if rev == "A" else "按CAPA-2026-017更新审批流程",
        change_summary="首次发布" if rev == "A" else "第5.3条增加电子签名要求",
    )
    fields.update(extra)
    return ledger.append(**fields)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    """A ledger with the five releases of DOCS."""
    led = Ledger(tmp_path / "ledger.jsonl")
    for day, (doc, rev) in enumerate(DOCS, start=1):
        release(led, doc, rev, day)
    return led


def lines_of(led: Ledger) -> list[str]:
    return led.path.read_text(encoding="utf-8").splitlines(keepends=True)


def rewrite(led: Ledger, lines: list[str]) -> list[str]:
    """Replace the ledger file by `lines` (the tampering) and return what verify reports."""
    led.path.write_text("".join(lines), encoding="utf-8")
    return led.verify()


def canonical_hash(record: dict) -> str:
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def forged(line: str, **changes) -> str:
    """`line` with fields changed and its hash recomputed (a careful forger)."""
    record = json.loads(line)
    record.update(changes)
    record["hash"] = canonical_hash(record)
    return json.dumps(record, ensure_ascii=False) + "\n"


# --- reading and writing ---------------------------------------------------------------------

def test_a_ledger_that_does_not_exist_is_empty(tmp_path):
    led = Ledger(tmp_path / "ledger.jsonl")
    assert led.entries() == [] and led.verify() == []
    assert led.released("QP-04", "A") is None and led.for_document("QP-04") == []
    assert not led.path.exists()


def test_entries_are_chained_and_hashed_canonically(ledger):
    records = [json.loads(line) for line in lines_of(ledger)]
    assert [r["seq"] for r in records] == [1, 2, 3, 4, 5]
    assert records[0]["prev"] == ZERO_HASH
    for before, after in zip(records, records[1:]):
        assert after["prev"] == before["hash"]
    for record in records:
        assert record["hash"] == canonical_hash(record)
    first = ledger.path.read_text(encoding="utf-8").splitlines()[0]
    assert first == json.dumps(records[0], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert "张敏" in first  # Chinese stays readable in the committed file


def test_entries_read_back_with_their_lines(ledger):
    entries = ledger.entries()
    assert [(e.document, e.revision, e.line) for e in entries] == [
        (doc, rev, n) for n, (doc, rev) in enumerate(DOCS, start=1)
    ]
    b = ledger.released("QP-04", "B")
    assert b.seq == 3 and b.approved_by == "王建国" and b.reason == "按CAPA-2026-017更新审批流程"
    assert b.outputs == {"releases/QP-04/B/QP-04.pdf": hashlib.sha256(b"pdf QP-04B").hexdigest()}
    assert ledger.released("QP-04", "C") is None
    assert [e.revision for e in ledger.for_document("QP-05")] == ["A", "B"]
    assert b.describe() == "entry 3 (release of QP-04 revision B)"


def test_append_returns_the_entry_it_wrote(tmp_path):
    led = Ledger(tmp_path / "sub" / "ledger.jsonl")
    entry = release(led, "QP-04", "A")
    assert entry == led.entries()[0] and entry.line == 1 and entry.seq == 1
    assert entry.hash == entry.computed_hash() == canonical_hash(json.loads(lines_of(led)[0]))


def test_append_only_adds_bytes_to_the_same_file(ledger):
    before = ledger.path.read_bytes()
    inode = os.stat(ledger.path).st_ino
    release(ledger, "QP-12", "B", 9)
    after = ledger.path.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 1
    assert os.stat(ledger.path).st_ino == inode


def test_same_appends_give_the_same_bytes(tmp_path):
    one, two = Ledger(tmp_path / "one.jsonl"), Ledger(tmp_path / "two.jsonl")
    for led in (one, two):
        for day, (doc, rev) in enumerate(DOCS, start=1):
            release(led, doc, rev, day)
    assert one.path.read_bytes() == two.path.read_bytes()


def test_withdrawal_is_recorded(ledger):
    entry = ledger.append(action="obsolete", document="QP-12", revision="A", reason="并入QP-04",
                          timestamp="2027-03-01T02:00:00Z", effective_date="2027-03-01", approved_by="王建国")
    assert entry.seq == 6 and entry.outputs == {} and entry.inputs_sha256 is None
    assert entry.describe() == "entry 6 (withdrawal of QP-12 revision A)"
    assert ledger.verify() == []


def _append_many(path: str, doc: str) -> None:
    led = Ledger(Path(path))
    for n in range(10):
        release(led, doc, chr(ord("A") + n))


def test_concurrent_appends_keep_the_chain_intact(tmp_path):
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_append_many, args=(str(tmp_path / "ledger.jsonl"), doc))
               for doc in ("QP-04", "QP-05")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    led = Ledger(tmp_path / "ledger.jsonl")
    assert [e.seq for e in led.entries()] == list(range(1, 21))
    assert led.verify() == []


def test_format_timestamp():
    moment = datetime(2026, 12, 1, 16, 30, 5, tzinfo=timezone(timedelta(hours=8)))
    assert format_timestamp(moment) == "2026-12-01T08:30:05Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        format_timestamp(datetime(2026, 12, 1))


def test_actions_are_the_words_in_the_file(tmp_path):
    assert ACTIONS == ("release", "obsolete", "issue", "recall", "destroy", "review") and all(type(a) is str for a in ACTIONS)
    assert Action.RELEASE == "release" and Action.OBSOLETE == "obsolete"
    plain, enum = Ledger(tmp_path / "plain.jsonl"), Ledger(tmp_path / "enum.jsonl")
    release(plain, "QP-04", "A")
    entry = release(enum, "QP-04", "A", action=Action.RELEASE)
    assert plain.path.read_bytes() == enum.path.read_bytes()
    assert type(entry.action) is str and entry == enum.entries()[0]


def test_queries_on_entries(ledger):
    ledger.append(action=Action.OBSOLETE, document="QP-05", revision="B", reason="并入QP-04",
                  timestamp="2027-03-01T02:00:00Z", effective_date="2027-03-01")
    entries = ledger.entries()
    assert [(e.document, e.revision) for e in releases(entries)] == DOCS
    assert [e.revision for e in releases(entries, "QP-04")] == ["A", "B"]
    assert releases(entries, "QP-99") == [] and releases([]) == []
    assert release_of(entries, "QP-04", "B").seq == 3
    assert release_of(entries, "QP-04", "C") is None and release_of(entries, "QP-99", "A") is None
    assert [e.seq for e in withdrawals(entries)] == [6] and withdrawals(entries, "QP-04") == []
    assert last_release(entries, "QP-05").revision == "B"  # withdrawn since, still its last release
    assert last_release(entries, "QP-12").seq == 4 and last_release(entries, "QP-99") is None
    assert ledger.released("QP-05", "B") == release_of(entries, "QP-05", "B")
    assert [e.seq for e in ledger.for_document("QP-05")] == [2, 5, 6]


# --- refusals --------------------------------------------------------------------------------

def test_the_same_revision_cannot_be_released_twice(ledger):
    before = ledger.path.read_bytes()
    with pytest.raises(UsageError, match=r"QP-04 revision B was already released \(ledger entry 3\)"):
        release(ledger, "QP-04", "B", 20)
    assert ledger.path.read_bytes() == before


def test_withdrawal_needs_a_released_document_and_happens_once(ledger):
    withdraw = dict(action="obsolete", revision="A", reason="不再适用",
                    timestamp="2027-01-01T00:00:00Z", effective_date="2027-01-01")
    with pytest.raises(UsageError, match="QP-99 cannot be withdrawn: it was never released"):
        ledger.append(document="QP-99", **withdraw)
    ledger.append(document="QP-12", **withdraw)
    with pytest.raises(UsageError, match=r"QP-12 is already obsolete \(ledger entry 6\)"):
        ledger.append(document="QP-12", **withdraw)
    release(ledger, "QP-12", "B", 21)  # a new revision brings it back into force
    assert ledger.verify() == []


@pytest.mark.parametrize("changes, message", [
    ({"approved_by": None}, "approved_by is required for a release"),
    ({"approved_by": "  "}, "approved_by is required for a release"),
    ({"outputs": {}}, "outputs is required for a release"),
    ({"inputs_sha256": "abc"}, "inputs_sha256 must be 64 lowercase hex digits"),
    ({"effective_date": "2026-13-01"}, "effective_date '2026-13-01' is not a date"),
    ({"timestamp": "2026-11-01 08:00:00"}, "timestamp '2026-11-01 08:00:00' is not UTC ISO 8601"),
    ({"timestamp": "2026-11-01T08:00:00+08:00"}, "is not UTC ISO 8601"),
    ({"action": "publish"}, "action must be one of release, obsolete"),
    ({"revision": ""}, "revision must be non-empty text"),
])
def test_bad_fields_are_refused_with_the_field_named(ledger, changes, message):
    before = ledger.path.read_bytes()
    with pytest.raises(UsageError, match="cannot record") as caught:
        release(ledger, "QP-04", "C", 12, **changes)
    assert message in str(caught.value)
    assert ledger.path.read_bytes() == before


def test_withdrawal_without_reason_is_refused(ledger):
    with pytest.raises(UsageError, match=r"cannot record withdrawal of QP-04 revision B: reason is required for a withdrawal"):
        ledger.append(action="obsolete", document="QP-04", revision="B", reason="",
                      timestamp="2027-01-01T00:00:00Z", effective_date="2027-01-01")


def test_a_tampered_ledger_is_not_extended(ledger):
    lines = lines_of(ledger)
    rewrite(ledger, [lines[0], lines[1].replace("王建国", "王建图"), *lines[2:]])
    before = ledger.path.read_bytes()
    with pytest.raises(CheckFailed) as caught:
        release(ledger, "QP-04", "C", 12)
    assert caught.value.problems[0] == "cannot record release of QP-04 revision C: ledger.jsonl fails verification:"
    assert "ledger.jsonl line 2: entry 2 (release of QP-05 revision A) was edited" in caught.value.problems[1]
    assert ledger.path.read_bytes() == before


def test_entries_refuse_unreadable_lines(ledger):
    lines = lines_of(ledger)
    rewrite(ledger, [*lines[:3], "{not json\n", *lines[3:]])
    with pytest.raises(CheckFailed) as caught:
        ledger.entries()
    assert caught.value.problems == [
        "ledger.jsonl line 4: malformed entry: not valid JSON: Expecting property name enclosed in double quotes "
        "(column 2) (run `dossier verify` for the whole chain)"
    ]


# --- tampering -------------------------------------------------------------------------------

def test_an_intact_ledger_verifies(ledger):
    assert ledger.verify() == []


def flip_hex_after(marker: str):
    """An edit changing the first hex digit after `marker` in a line."""
    def edit(line: str) -> str:
        at = line.index(marker) + len(marker)
        return line[:at] + ("1" if line[at] == "0" else "0") + line[at + 1:]
    return edit


@pytest.mark.parametrize("edit", [
    lambda line: line.replace("王建国", "王建图"),                   # approver name
    lambda line: line.replace("2026-11-02T08", "2026-11-03T08"),    # timestamp
    lambda line: line.replace('"seq":2', '"seq":3'),                # sequence number
    lambda line: line.replace('"revision":"A"', '"revision":"B"'),  # revision
    flip_hex_after('QP-05.pdf":"'),                                 # an output's SHA-256
    flip_hex_after('"hash":"'),                                     # the stored hash itself
], ids=["name", "timestamp", "seq", "revision", "outputs", "hash"])
def test_editing_one_character_of_an_old_entry_names_it(ledger, edit):
    lines = lines_of(ledger)
    edited = edit(lines[1])
    assert edited != lines[1] and len(edited) == len(lines[1])
    assert sum(a != b for a, b in zip(edited, lines[1])) == 1
    problems = rewrite(ledger, [lines[0], edited, *lines[2:]])
    assert len(problems) == 1, problems
    assert problems[0].startswith("ledger.jsonl line 2: entry ")
    assert "was edited: its content no longer matches its hash" in problems[0]


def test_edit_reports_document_and_revision(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [*lines[:2], lines[2].replace("第5.3条", "第5.4条"), *lines[3:]])
    assert problems == ["ledger.jsonl line 3: entry 3 (release of QP-04 revision B) was edited: "
                        "its content no longer matches its hash"]


def test_edited_and_rehashed_entry_breaks_the_chain(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [lines[0], forged(lines[1], approved_by="赵磊"), *lines[2:]])
    assert problems == ["ledger.jsonl line 3: entry 3 (release of QP-04 revision B) does not chain to entry 2 "
                        "(line 2): one of them was edited and re-hashed, or replaced"]


def test_deleted_entry_is_reported_between_its_neighbours(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [*lines[:2], *lines[3:]])
    assert problems == ["ledger.jsonl line 3: entry 3 is missing (deleted) between line 2 (entry 2) and "
                        "line 3: entry 4 (release of QP-12 revision A)"]


def test_two_deleted_entries_are_one_problem(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [lines[0], *lines[3:]])
    assert problems == ["ledger.jsonl line 2: entries 2–3 are missing (deleted) between line 1 (entry 1) and "
                        "line 2: entry 4 (release of QP-12 revision A)"]


def test_deleted_first_entry(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, lines[1:])
    assert problems == ["ledger.jsonl line 1: entry 1 is missing (deleted) before line 1: "
                        "entry 2 (release of QP-05 revision A)"]


def test_inserted_copy_of_an_entry(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [*lines[:3], lines[2], *lines[3:]])
    assert problems == ["ledger.jsonl line 4: entry 3 (release of QP-04 revision B) was inserted: "
                        "entry 3 is already at line 3"]


def test_inserted_forgery_that_imitates_its_neighbour(ledger):
    lines = lines_of(ledger)
    fake = forged(lines[2], document="QP-05", revision="C", approved_by="王建国")
    problems = rewrite(ledger, [*lines[:2], fake, *lines[2:]])
    assert problems == ["ledger.jsonl line 3: entry 3 (release of QP-05 revision C) was inserted: "
                        "entry 3 is already at line 4"]


def test_inserted_forgery_with_a_made_up_number(ledger):
    lines = lines_of(ledger)
    fake = forged(lines[1], seq=9, revision="Z")
    problems = rewrite(ledger, [*lines[:2], fake, *lines[2:]])
    assert problems == ["ledger.jsonl line 3: entry 9 (release of QP-05 revision Z) is out of order: it comes "
                        "after line 2 (entry 2); it was inserted or entries were reordered"]


def test_swapped_entries(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [lines[0], lines[2], lines[1], *lines[3:]])
    assert len(problems) == 1
    assert problems[0].startswith("ledger.jsonl line 2: entry 3 (release of QP-04 revision B) is out of order")
    assert "entries were reordered" in problems[0]


def test_entry_moved_to_the_end(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [lines[0], *lines[2:], lines[1]])
    assert problems == ["ledger.jsonl line 5: entry 2 (release of QP-05 revision A) is out of order: it belongs "
                        "after line 1 (entry 1); entries were reordered"]


def test_truncated_last_line(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [*lines[:4], lines[4][:60]])
    assert len(problems) == 1
    assert problems[0].startswith("ledger.jsonl line 5: malformed entry (cut short: no newline at the end of the file)")


def test_missing_final_newline(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [*lines[:4], lines[4].rstrip("\n")])
    assert problems == ["ledger.jsonl line 5: entry 5 (release of QP-05 revision B) has no newline at the end "
                        "of the file (cut-short write?)"]


def test_truncated_file_at_a_line_boundary_is_a_valid_shorter_chain(ledger):
    """Dropping whole entries from the end is invisible to the chain (the archive check catches it)."""
    lines = lines_of(ledger)
    assert rewrite(ledger, lines[:3]) == []


@pytest.mark.parametrize("replacement, reason", [
    ("\n", "empty line"),
    ("[1, 2]\n", "not a JSON object"),
    ("\xff\n", "not valid JSON"),
])
def test_unreadable_line_replacing_an_entry(ledger, replacement, reason):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [*lines[:2], replacement, *lines[3:]])
    assert len(problems) == 1 and problems[0].startswith("ledger.jsonl line 3: malformed entry")
    assert reason in problems[0]


def test_line_that_is_not_utf8(ledger):
    lines = lines_of(ledger)
    ledger.path.write_bytes("".join(lines[:2]).encode() + b"\xff\xfe\n" + "".join(lines[3:]).encode())
    assert ledger.verify() == ["ledger.jsonl line 3: malformed entry: not UTF-8 text"]


def test_entry_with_a_field_given_twice(ledger):
    lines = lines_of(ledger)
    doubled = lines[1].replace('"approved_by":"王建国"', '"approved_by":"赵磊","approved_by":"王建国"')
    assert rewrite(ledger, [lines[0], doubled, *lines[2:]]) == [
        "ledger.jsonl line 2: malformed entry: field approved_by appears twice"
    ]


def test_entry_with_a_field_removed_names_what_it_still_shows(ledger):
    lines = lines_of(ledger)
    record = json.loads(lines[2])
    del record["approved_by"]
    problems = rewrite(ledger, [*lines[:2], json.dumps(record, ensure_ascii=False) + "\n", *lines[3:]])
    assert problems == ["ledger.jsonl line 3: malformed entry 3 (release of QP-04 revision B): "
                        "missing field(s) approved_by"]


def test_first_entry_must_start_the_chain(tmp_path):
    led = Ledger(tmp_path / "ledger.jsonl")
    release(led, "QP-04", "A")
    line = lines_of(led)[0]
    problems = rewrite(led, [forged(line, prev="1" * 64)])
    assert problems == ["ledger.jsonl line 1: entry 1 (release of QP-04 revision A) is first but its prev "
                        "is not 64 zeros"]


def test_forged_rerelease_is_reported(ledger):
    lines = lines_of(ledger)
    fake = forged(lines[4], seq=6, document="QP-04", revision="A", prev=json.loads(lines[4])["hash"])
    problems = rewrite(ledger, [*lines, fake])
    assert problems == ["ledger.jsonl line 6: entry 6 (release of QP-04 revision A) breaks a release rule: QP-04 revision A was "
                        "already released (ledger entry 1)"]


def test_several_tamperings_are_all_reported_in_file_order(ledger):
    lines = lines_of(ledger)
    problems = rewrite(ledger, [lines[0].replace("张敏", "张明"), lines[1], *lines[3:], "garbage\n"])
    assert [p.split(":")[0] for p in problems] == ["ledger.jsonl line 1", "ledger.jsonl line 3", "ledger.jsonl line 5"]
    assert "was edited" in problems[0] and "entry 3 is missing" in problems[1] and "malformed" in problems[2]


def test_custom_display_name(tmp_path):
    led = Ledger(tmp_path / "records" / "ledger.jsonl", display="records/ledger.jsonl")
    release(led, "QP-04", "A")
    led.path.write_text(lines_of(led)[0].replace("张敏", "张明"), encoding="utf-8")
    assert led.verify()[0].startswith("records/ledger.jsonl line 1: entry 1")
